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

class AuditLogTest {

  @Test
  void eachLineChainsToTheOneBefore(@TempDir Path dir) throws Exception {
    AuditLog log = new AuditLog(dir.resolve("audit.log"));
    AuditEntry first = log.append("snapshot", "v1.0.0", "ok", Map.of());
    AuditEntry second = log.append("send", "v1.0.0", "ok", Map.of("out", "/tmp/x"));
    assertThat(first.previous()).isEqualTo(AuditLog.GENESIS);
    String firstLine = Files.readAllLines(log.file()).get(0);
    assertThat(second.previous()).isEqualTo(AuditLog.sha256(firstLine));
    assertThat(log.verify()).isEqualTo(2);
  }

  @Test
  void anEditedLineBreaksTheChain(@TempDir Path dir) throws Exception {
    AuditLog log = new AuditLog(dir.resolve("audit.log"));
    log.append("deploy", "v1.0.0", "ok", Map.of());
    log.append("activate", "v1.0.0", "ok", Map.of());
    log.append("upgrade", "v1.1.0", "failed", Map.of());
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
      log.append("deploy", "v1.0." + i, "ok", Map.of());
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
