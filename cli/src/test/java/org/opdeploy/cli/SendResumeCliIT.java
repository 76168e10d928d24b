package org.opdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10.13 through the command line: a send killed after its streams were complete but before
 * they were signed is resumed by the next {@code send} (it signs them), a tampered one is still
 * refused, and a killed send's leftovers are restarted.
 */
class SendResumeCliIT {
  private static final String PASSPHRASE = "resume passphrase 19c2";
  @TempDir Path dir;
  private TwoHosts hosts;
  private String key;

  @BeforeEach
  void setUp() throws Exception {
    hosts = TwoHosts.create(dir, PASSPHRASE);
    assertThat(hosts.run("golden", "refresh", "--runner", "chroot").exitCode()).isZero();
    assertThat(hosts.run("snapshot", "v1.0.0").exitCode()).isZero();
    key = hosts.env.remove("OPDEPLOY_SIGNING_KEY");
  }

  @AfterEach
  void tearDown() throws Exception {
    hosts.close();
  }

  /** What a kill between the last rename and the signature leaves: a complete, unsigned send. */
  private Path unsignedSend() {
    Path out = dir.resolve("out");
    assertThat(hosts.run("send", "v1.0.0", "--out", out.toString()).exitCode()).isZero();
    assertThat(out.resolve("SHA256SUMS.asc")).doesNotExist();
    hosts.env.put("OPDEPLOY_SIGNING_KEY", key);
    return out;
  }

  @Test
  void aCompleteUnsignedSendIsSignedByTheNextSend() throws Exception {
    Path out = unsignedSend();
    String sums = Files.readString(out.resolve("SHA256SUMS"));

    CliRun resumed = hosts.run("send", "v1.0.0", "--out", out.toString());

    assertThat(resumed.exitCode()).as(resumed.stderr()).isZero();
    assertThat(resumed.stdout() + resumed.stderr())
        .contains("complete and verifies but was never signed: signing it");
    assertThat(Files.readString(out.resolve("SHA256SUMS"))).isEqualTo(sums);
    CliRun verify = hosts.run("--json", "verify", out.toString());
    assertThat(verify.exitCode()).as(verify.stderr()).isZero();
    assertThat(verify.stdout()).contains("\"signed\" : true");
  }

  @Test
  void aTamperedUnsignedSendIsStillRefused() throws Exception {
    Path out = unsignedSend();
    try (RandomAccessFile stream =
        new RandomAccessFile(out.resolve("op-dbus-v1.0.0.send.zst").toFile(), "rw")) {
      stream.seek(20);
      stream.write(stream.read() ^ 0xff);
    }

    CliRun refused = hosts.run("send", "v1.0.0", "--out", out.toString());

    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.stderr().strip().lines())
        .hasSize(1)
        .first()
        .asString()
        .contains("already holds");
    assertThat(out.resolve("SHA256SUMS.asc")).doesNotExist();
  }
}
