package org.opdeploy.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Consumer;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;
import org.opdeploy.progress.ProgressListener;

/**
 * An upload body that streams a file through a 1 MiB buffer with an exact Content-Length, and
 * hashes what it sends: when the whole file went out, {@code onSha256} receives its SHA-256, so
 * a fresh upload reads the file once. Every retry writes it again from the start.
 */
public final class FileRequestBody extends RequestBody {
  private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");
  private static final int BUFFER = 1 << 20;
  private final Path file;
  private final long size;
  private final String task;
  private final ProgressListener progress;
  private final Consumer<String> onSha256;

  public FileRequestBody(Path file, long size, String task, ProgressListener progress,
      Consumer<String> onSha256) {
    this.file = file;
    this.size = size;
    this.task = task;
    this.progress = progress;
    this.onSha256 = onSha256;
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
    MessageDigest sha256 = newSha256();
    byte[] buffer = new byte[BUFFER];
    ByteBuffer wrapped = ByteBuffer.wrap(buffer);
    TransferProgress bytes = new TransferProgress(progress, task, 0, size);
    long sent = 0;
    try (FileChannel channel = open()) {
      while (sent < size) {
        wrapped.clear().limit((int) Math.min(BUFFER, size - sent));
        int n = read(channel, wrapped);
        if (n < 0) {
          throw new LocalFileException(file + " shrank to " + sent + " bytes while uploading (expected "
              + size + "); was it rewritten?", null);
        }
        sha256.update(buffer, 0, n);
        sink.write(buffer, 0, n);
        sent += n;
        bytes.add(n);
      }
    }
    sink.flush();
    bytes.finished();
    onSha256.accept(HexFormat.of().formatHex(sha256.digest()));
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

  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM lacks SHA-256", e);
    }
  }
}
