package org.opdeploy.lock;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import org.opdeploy.error.LockHeldException;
import org.opdeploy.error.OpdeployException;

/**
 * An exclusive lock held for the whole of a mutating command ({@code <pool>/.opdeploy/lock} or the
 * target's). The kernel releases it when the process dies, so a crash never leaves it stuck; the
 * file holds a description of the holder for the error a second run prints. Taking it needs no free
 * space once the file exists (opening a file and {@code flock} allocate nothing), so it works on a
 * full filesystem.
 */
public final class RunLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock. When another process holds it: waits up to {@code wait} (zero: not at all),
   * then fails with exit code 4 naming the holder.
   */
  public static RunLock acquire(Path file, String command, Duration wait) throws OpdeployException {
    try {
      Files.createDirectories(file.getParent());
      FileChannel channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      long deadline = System.nanoTime() + wait.toNanos();
      while (true) {
        FileLock lock;
        try {
          lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
          lock = null;
        }
        if (lock != null) {
          describeHolder(channel, command);
          return new RunLock(channel, lock);
        }
        if (System.nanoTime() >= deadline) {
          String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
          channel.close();
          throw new LockHeldException(
              "another opdeploy run holds "
                  + file
                  + (holder.isEmpty() ? "" : ": " + holder)
                  + "; wait for it to finish or pass --wait");
        }
        Thread.sleep(200);
      }
    } catch (IOException e) {
      throw new OpdeployException("cannot lock " + file + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OpdeployException("interrupted while waiting for " + file, e);
    }
  }

  /**
   * Writes who holds the lock, for the message a second run prints. Best effort: on a full
   * filesystem even these few bytes need new space (btrfs writes copy on write), and the lock is
   * held all the same, so a full disk never stops the commands that free space or switch back.
   */
  private static void describeHolder(FileChannel channel, String command) {
    String holder =
        "pid " + ProcessHandle.current().pid() + " (" + command + ") since " + Instant.now() + "\n";
    try {
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(false);
    } catch (IOException e) {
      // No description then; the kernel lock is what excludes other runs.
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // The kernel drops the lock with the descriptor anyway.
    }
  }
}
