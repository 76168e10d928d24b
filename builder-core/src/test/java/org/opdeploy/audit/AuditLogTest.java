package org.opdeploy.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.error.VerificationException;
import org.opdeploy.version.Version;

class AuditLogTest {

  @Test
  void eachLineChainsToTheOneBefore(@TempDir Path dir) throws Exception {
    AuditLog log = new AuditLog(dir.resolve("audit.log"));
    AuditEntry first = log.append("snapshot", Version.parse("v1.0.0"), "ok", Map.of());
    AuditEntry second = log.append("send", Version.parse("v1.0.0"), "ok", Map.of("out", "/tmp/x"));
    assertThat(first.previous()).isEqualTo(AuditLog.GENESIS);
    String firstLine = Files.readAllLines(log.file()).get(0);
    assertThat(second.previous()).isEqualTo(AuditLog.sha256(firstLine));
    assertThat(log.verify()).isEqualTo(2);
  }

  @Test
  void aLogWrittenBeforeVersionsWereTypedStillVerifiesAndGrows(@TempDir Path dir) throws Exception {
    // An older opdeploy wrote the placeholder "nightly" where the version goes.
    String old =
        "{\"time\":\"2026-11-01T03:17:00Z\",\"user\":\"root\",\"command\":\"release\","
            + "\"version\":\"nightly\",\"result\":\"started\",\"details\":{},"
            + "\"previous\":\""
            + AuditLog.GENESIS
            + "\"}";
    Files.writeString(dir.resolve("audit.log"), old + "\n");
    AuditLog log = new AuditLog(dir.resolve("audit.log"));
    AuditEntry next = log.append("release", null, "ok", Map.of("to_version", "nightly-20261101"));
    assertThat(next.previous()).isEqualTo(AuditLog.sha256(old));
    assertThat(log.verify()).isEqualTo(2);
  }

  @Test
  void aLineThatIsNoEntryIsRefused(@TempDir Path dir) throws Exception {
    AuditLog log = new AuditLog(dir.resolve("audit.log"));
    log.append("snapshot", Version.parse("v1.0.0"), "ok", Map.of());
    Files.writeString(log.file(), "[1,2]\n", java.nio.file.StandardOpenOption.APPEND);
    assertThatThrownBy(log::verify)
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("line 2 is not an audit entry");
  }

  @Test
  void anEditedLineBreaksTheChain(@TempDir Path dir) throws Exception {
    AuditLog log = new AuditLog(dir.resolve("audit.log"));
    log.append("deploy", Version.parse("v1.0.0"), "ok", Map.of());
    log.append("activate", Version.parse("v1.0.0"), "ok", Map.of());
    log.append("upgrade", Version.parse("v1.1.0"), "failed", Map.of());
    List<String> lines = new ArrayList<>(Files.readAllLines(log.file()));
    lines.set(0, lines.get(0).replace("v1.0.0", "v9.0.0"));
    Files.write(log.file(), lines);
    assertThatThrownBy(log::verify)
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("line 2");
  }

  @Test
  void aRemovedLineBreaksTheChain(@TempDir Path dir) throws Exception {
    AuditLog log = new AuditLog(dir.resolve("audit.log"));
    for (int i = 0; i < 3; i++) {
      log.append("deploy", Version.parse("v1.0." + i), "ok", Map.of());
    }
    List<String> lines = new ArrayList<>(Files.readAllLines(log.file()));
    lines.remove(1);
    Files.write(log.file(), lines);
    assertThatThrownBy(log::verify)
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("line 2");
  }

  @Test
  void aMissingLogIsEmptyAndIntact(@TempDir Path dir) throws Exception {
    assertThat(new AuditLog(dir.resolve("none.log")).verify()).isZero();
  }
}
