package org.opdeploy.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import org.opdeploy.error.BadInputException;

/**
 * The {@code ca-file} setting: a PEM bundle of CA certificates trusted for HTTPS in addition to the
 * system's (a private mirror's CA), instead of an undocumented JVM property.
 */
public final class CaBundle {
  private CaBundle() {}

  /** Makes {@code builder} trust the certificates in {@code pemFile} as well as the system's. */
  public static OkHttpClient.Builder trustAlso(OkHttpClient.Builder builder, Path pemFile)
      throws BadInputException {
    X509TrustManager trust = trustManager(pemFile);
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trust}, null);
      return builder.sslSocketFactory(context.getSocketFactory(), trust);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("TLS is not available in this JVM", e);
    }
  }

  private static X509TrustManager trustManager(Path pemFile) throws BadInputException {
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(pemFile)) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (IOException e) {
      throw new BadInputException(
          "cannot read ca-file "
              + pemFile
              + " ("
              + e.getMessage()
              + "): pass --ca-file FILE (setting 'ca-file') naming a PEM certificate bundle");
    } catch (GeneralSecurityException e) {
      throw new BadInputException(
          "ca-file " + pemFile + " is not a PEM certificate bundle: " + e.getMessage());
    }
    if (certificates.isEmpty()) {
      throw new BadInputException("ca-file " + pemFile + " holds no PEM certificate");
    }
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int n = 0;
      for (X509Certificate system : systemTrust().getAcceptedIssuers()) {
        store.setCertificateEntry("system-" + n++, system);
      }
      for (Certificate certificate : certificates) {
        store.setCertificateEntry("ca-file-" + n++, certificate);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return x509(factory);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a trust store: " + e.getMessage(), e);
    }
  }

  private static X509TrustManager systemTrust() throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    return x509(factory);
  }

  private static X509TrustManager x509(TrustManagerFactory factory) {
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        return x509;
      }
    }
    throw new IllegalStateException("no X.509 trust manager in this JVM");
  }
}
