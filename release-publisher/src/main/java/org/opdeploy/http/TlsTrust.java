package org.opdeploy.http;

import java.io.IOException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.HttpUrl;
import org.opdeploy.error.VerificationException;

/**
 * What HTTPS trust means for release stores: a server whose certificate does not chain to a trusted
 * CA or does not name the host is a trust failure (exit 3, never retried: a retry cannot fix it),
 * and a redirect from {@code https://} to plain {@code http://} is refused.
 */
public final class TlsTrust {
  private TlsTrust() {}

  /** Whether {@code e} is a certificate or host-name failure rather than a network one. */
  public static boolean isTrustFailure(IOException e) {
    if (e instanceof SSLPeerUnverifiedException) {
      return true;
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof CertificateException
          || cause instanceof CertPathValidatorException
          || cause instanceof CertPathBuilderException) {
        return true;
      }
    }
    return false;
  }

  /** The trust failure {@code e} as the one line a user sees. */
  public static VerificationException failure(String what, IOException e) {
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int newline = reason.indexOf('\n');
    if (newline >= 0) {
      reason = reason.substring(0, newline);
    }
    return new VerificationException(
        what
            + " failed: the server's certificate is not trusted ("
            + reason
            + "); check the URL, or name the CA that signed it with --ca-file",
        e);
  }

  /** Refuses a redirect that would leave HTTPS. */
  public static void requireSecureRedirect(HttpUrl from, HttpUrl to, String what)
      throws VerificationException {
    if (from.isHttps() && !to.isHttps()) {
      throw new VerificationException(
          what
              + " failed: "
              + from.host()
              + " redirected from https:// to plain "
              + "http://"
              + to.host()
              + ": refusing to leave HTTPS; fix the mirror's redirect");
    }
  }
}
