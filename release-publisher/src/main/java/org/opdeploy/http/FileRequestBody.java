package org.opdeploy.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;
import org.opdeploy.progress.ProgressListener;

/**
 * An upload body that streams a file with an exact Content-Length through one 1 MiB direct buffer:
 * the file is read straight into it (no JDK bounce copy) and handed to the socket's buffer, so
 * memory stays flat whatever the size. It does not hash: the caller already knows the SHA-256 the
 * server must report (from SHA256SUMS), and hashing here would only cost CPU time. Every retry
 * writes the file again from the start.
 */
public final class FileRequestBody extends RequestBody {
  private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");
  private static final int BUFFER = 1 << 20;
  private final Path file;
  private final long size;
  private final String task;
  private final ProgressListener progress;

  public FileRequestBody(Path file, long size, String task, ProgressListener progress) {
    this.file = file;
    this.size = size;
    this.task = task;
    this.progress = progress;
  }

  @Override
  public MediaType contentType() {
    return OCTET_STREAM;
  }

  @Override
  public long contentLength() {
    return size;
  }

  @Override
  public void writeTo(BufferedSink sink) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
    TransferProgress bytes = new TransferProgress(progress, task, 0, size);
    long sent = 0;
    try (FileChannel channel = open()) {
      while (sent < size) {
        buffer.clear().limit((int) Math.min(BUFFER, size - sent));
        int n = read(channel, buffer);
        if (n < 0) {
          throw new LocalFileException(
              file
                  + " shrank to "
                  + sent
                  + " bytes while uploading (expected "
                  + size
                  + "); was it rewritten?",
              null);
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
          sink.write(buffer);
        }
        sent += n;
        bytes.add(n);
      }
    }
    sink.flush();
    bytes.finished();
  }

  private FileChannel open() throws LocalFileException {
    try {
      return FileChannel.open(file, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new LocalFileException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private int read(FileChannel channel, ByteBuffer into) throws LocalFileException {
    try {
      return channel.read(into);
    } catch (IOException e) {
      throw new LocalFileException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
