package org.opdeploy.deploy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.opdeploy.process.ProcessRunner;
import org.opdeploy.process.ProcessSpec;

/**
 * A real nginx serving a {@code dir:} store over HTTPS on loopback, with a throw-away CA made by
 * openssl: {@code https://localhost:PORT/} is the store itself, {@code /mirror/} redirects (302) to
 * it as a CDN would, {@code /downgrade/} redirects to plain http, {@code /streams-downgrade/}
 * answers the index and every HEAD but redirects stream downloads to plain http. The same store is
 * also served over plain http on loopback. The certificate names {@code localhost} only. {@link
 * #close()} stops it.
 */
final class NginxServer implements AutoCloseable {
  final Path caFile;
  final int httpsPort;
  final int httpPort;
  private final Process process;

  private NginxServer(Path caFile, int httpsPort, int httpPort, Process process) {
    this.caFile = caFile;
    this.httpsPort = httpsPort;
    this.httpPort = httpPort;
    this.process = process;
  }

  static NginxServer start(Path work, Path store) throws Exception {
    for (String program : List.of("nginx", "openssl")) {
      if (new ProcessBuilder("sh", "-c", "command -v " + program).start().waitFor() != 0) {
        throw new IllegalStateException(
            program
                + " is missing: run ci/install-deps.sh (apt-get install "
                + (program.equals("nginx") ? "nginx-light" : "openssl")
                + ")");
      }
    }
    Path dir = Files.createDirectories(work.resolve("nginx"));
    Files.createDirectories(dir.resolve("tmp"));
    makeCertificates(dir);
    int https = freePort();
    int http = freePort();
    Path conf = dir.resolve("nginx.conf");
    Files.writeString(conf, config(dir, store, https, http));
    Process process =
        new ProcessBuilder("nginx", "-c", conf.toString(), "-p", dir.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stdout.log").toFile())
            .start();
    NginxServer server = new NginxServer(dir.resolve("ca.crt"), https, http, process);
    try {
      server.awaitListening();
    } catch (Exception | Error e) {
      server.close();
      throw e;
    }
    return server;
  }

  String https(String path) {
    return "https://localhost:" + httpsPort + "/" + path;
  }

  private void awaitListening() throws Exception {
    for (int i = 0; i < 100; i++) {
      if (!process.isAlive()) {
        throw new IllegalStateException("nginx exited with " + process.exitValue());
      }
      try (Socket a = new Socket("127.0.0.1", httpsPort);
          Socket b = new Socket("127.0.0.1", httpPort)) {
        return;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("nginx did not start listening");
  }

  private static void makeCertificates(Path dir) throws Exception {
    Files.writeString(
        dir.resolve("server.ext"), "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n");
    ProcessRunner runner = new ProcessRunner();
    String ec = "ec -pkeyopt ec_paramgen_curve:prime256v1";
    runner.run(
        ProcessSpec.of(
                "sh",
                "-c",
                String.join(
                    " && ",
                    "openssl req -x509 -newkey "
                        + ec
                        + " -nodes -keyout ca.key -out ca.crt -days 2 -subj '/CN=opdeploy test CA'",
                    "openssl req -newkey "
                        + ec
                        + " -nodes -keyout server.key -out server.csr -subj '/CN=localhost'",
                    "openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 2"
                        + " -extfile server.ext"))
            .withWorkingDirectory(dir));
  }

  private static String config(Path dir, Path store, int https, int http) {
    String temp = dir.resolve("tmp").toString();
    return """
        daemon off;
        master_process off;
        user root;
        pid %1$s/nginx.pid;
        error_log %1$s/error.log;
        events { worker_connections 64; }
        http {
          access_log off;
          default_type application/octet-stream;
          client_body_temp_path %2$s/body;
          proxy_temp_path %2$s/proxy;
          fastcgi_temp_path %2$s/fastcgi;
          uwsgi_temp_path %2$s/uwsgi;
          scgi_temp_path %2$s/scgi;
          server {
            listen 127.0.0.1:%4$d ssl;
            server_name localhost;
            ssl_certificate %1$s/server.crt;
            ssl_certificate_key %1$s/server.key;
            root %3$s;
            location /mirror/ { rewrite ^/mirror/(.*)$ https://localhost:%4$d/$1 redirect; }
            location /downgrade/ { rewrite ^/downgrade/(.*)$ http://example.invalid/$1 redirect; }
            location /streams-downgrade/ {
              if ($request_method = GET) {
                rewrite "^/streams-downgrade/(.*\\.send\\.zst.*)$" http://127.0.0.1:%5$d/$1 redirect;
              }
              rewrite ^/streams-downgrade/(.*)$ /$1 last;
            }
          }
          server {
            listen 127.0.0.1:%5$d;
            root %3$s;
          }
        }
        """
        .formatted(dir, temp, store, https, http);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
