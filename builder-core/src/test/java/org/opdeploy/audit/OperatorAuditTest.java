package org.opdeploy.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.error.BadInputException;
import org.opdeploy.version.Version;

/** Audit entries name the person who ran a command and say what it did; the chain still holds. */
class OperatorAuditTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void underSudoTheEntryNamesTheCallerAndSaysItRanAsRootViaSudo() throws Exception {
    AuditLog log =
        new AuditLog(
            dir.resolve("audit.log"),
            Clock.systemUTC(),
            Operator.of(Map.of("SUDO_USER", "alice"), "root"));

    log.append("snapshot", Version.parse("v1.0.0"), "ok", Map.of("uuid", "u-1"));

    JsonNode entry = lines().get(0);
    assertThat(entry.get("user").asText()).isEqualTo("alice");
    assertThat(entry.get("details").get("via").asText()).isEqualTo("sudo");
    assertThat(entry.get("details").get("account").asText()).isEqualTo("root");
    assertThat(entry.get("details").get("uuid").asText()).isEqualTo("u-1");
    assertThat(log.verify()).isEqualTo(1);
  }

  @Test
  void withoutSudoTheEntryNamesTheAccountAndAddsNothing() throws Exception {
    AuditLog log =
        new AuditLog(dir.resolve("audit.log"), Clock.systemUTC(), Operator.of(Map.of(), "bob"));

    log.append("list", null, "ok", Map.of());

    JsonNode entry = lines().get(0);
    assertThat(entry.get("user").asText()).isEqualTo("bob");
    assertThat(entry.get("details").size()).isZero();
  }

  @Test
  void aSudoUserThatIsTheAccountItselfIsNotCalledSudo() {
    assertThat(Operator.of(Map.of("SUDO_USER", "root"), "root"))
        .isEqualTo(new Operator("root", Map.of()));
    assertThat(Operator.of(Map.of("SUDO_USER", " "), "root").user()).isEqualTo("root");
  }

  @Test
  void aRunRecordsItsDetailsInBothEntriesAndItsOutcomeInTheEndOne() throws Exception {
    AuditLog log =
        new AuditLog(
            dir.resolve("audit.log"),
            Clock.systemUTC(),
            Operator.of(Map.of("SUDO_USER", "alice"), "root"));
    AuditedRun run = new AuditedRun(dir.resolve("lock"), log, Duration.ZERO);

    String result =
        run.locked(
            "upgrade",
            Version.parse("v2.0.0"),
            Map.of("source", "dir:/srv/releases"),
            () -> "done",
            r -> Map.of("from_version", "v1.0.0", "to_version", "v2.0.0", "stream", "incremental"));

    assertThat(result).isEqualTo("done");
    List<JsonNode> entries = lines();
    assertThat(entries.get(0).get("result").asText()).isEqualTo(AuditedRun.STARTED);
    assertThat(entries.get(0).get("details").get("source").asText()).isEqualTo("dir:/srv/releases");
    assertThat(entries.get(0).get("details").has("to_version")).isFalse();
    JsonNode end = entries.get(1).get("details");
    assertThat(entries.get(1).get("user").asText()).isEqualTo("alice");
    assertThat(end.get("source").asText()).isEqualTo("dir:/srv/releases");
    assertThat(end.get("from_version").asText()).isEqualTo("v1.0.0");
    assertThat(end.get("to_version").asText()).isEqualTo("v2.0.0");
    assertThat(end.get("stream").asText()).isEqualTo("incremental");
    assertThat(end.get("via").asText()).isEqualTo("sudo");
    assertThat(log.verify()).isEqualTo(2);
  }

  @Test
  void aFailedRunKeepsItsDetailsBesideTheExitCode() throws Exception {
    AuditLog log = new AuditLog(dir.resolve("audit.log"));
    AuditedRun run = new AuditedRun(dir.resolve("lock"), log, Duration.ZERO);

    assertThatThrownBy(
            () ->
                run.locked(
                    "publish",
                    Version.parse("v1.0.0"),
                    Map.of("destination", "github:acme/op-dbus"),
                    () -> {
                      throw new BadInputException("not signed");
                    },
                    r -> Map.of("url", "never")))
        .hasMessage("not signed");

    JsonNode end = lines().get(1);
    assertThat(end.get("result").asText()).isEqualTo(AuditedRun.FAILED);
    assertThat(end.get("details").get("destination").asText()).isEqualTo("github:acme/op-dbus");
    assertThat(end.get("details").get("exit").asText()).isEqualTo("2");
    assertThat(end.get("details").has("url")).isFalse();
    assertThat(log.verify()).isEqualTo(2);
  }

  @Test
  void detailsAreWrittenInKeyOrderSoThatALineReadsTheSameEveryTime() throws Exception {
    AuditLog log = new AuditLog(dir.resolve("audit.log"));

    log.append(
        "send",
        Version.parse("v1.0.0"),
        "ok",
        Map.of("to_version", "v1.0.0", "bytes", "1", "out", "/o"));

    String line = Files.readAllLines(dir.resolve("audit.log")).get(0);
    assertThat(line.indexOf("\"bytes\"")).isLessThan(line.indexOf("\"out\""));
    assertThat(line.indexOf("\"out\"")).isLessThan(line.indexOf("\"to_version\""));
  }

  private List<JsonNode> lines() throws Exception {
    List<JsonNode> entries = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("audit.log"))) {
      entries.add(JSON.readTree(line));
    }
    return entries;
  }
}
