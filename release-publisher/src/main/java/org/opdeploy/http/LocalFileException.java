package org.opdeploy.http;

import java.io.IOException;

/** Reading or writing a local file failed during a transfer: retrying the request cannot help. */
public class LocalFileException extends IOException {
  public LocalFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
