package org.opdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.lock.RunLock;

/**
 * The commands as users run them, end to end on loop-backed btrfs: release twice to a dir: store
 * under GitHub Actions, list, verify, then upgrade, roll back and audit a target — checking exit
 * codes, --json documents, step outputs, the job summary, and that no secret is ever printed.
 */
class CliEndToEndIT {
  private static final String PASSPHRASE = "correct horse battery staple 7f3a";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private TwoHosts hosts;

  @BeforeEach
  void setUp() throws Exception {
    hosts = TwoHosts.create(dir, PASSPHRASE);
    hosts.env.put("GITHUB_ACTIONS", "true");
    hosts.env.put("GITHUB_OUTPUT", dir.resolve("github-output").toString());
    hosts.env.put("GITHUB_STEP_SUMMARY", dir.resolve("github-summary").toString());
  }

  @AfterEach
  void tearDown() throws Exception {
    hosts.close();
  }

  private CliRun opdeploy(String... args) {
    return hosts.run(args);
  }

  private static JsonNode json(CliRun run) throws Exception {
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    return JSON.readTree(run.stdout());
  }

  @Test
  void releasesUnderActionsThenUpgradesRollsBackAndAuditsATarget() throws Exception {
    String store = "dir:" + dir.resolve("releases");
    JsonNode first =
        json(opdeploy("--json", "release", "v1.0.0", "--to", store, "--runner", "chroot"));
    assertThat(first.get("version").asText()).isEqualTo("v1.0.0");
    assertThat(first.get("signer").asText()).isEqualTo(hosts.key.fingerprint());
    JsonNode second = json(opdeploy("--json", "release", "v1.1.0", "--to", store));
    assertThat(hosts.pool().resolve(".opdeploy/releases"))
        .as("published release folders are removed")
        .isEmptyDirectory();
    assertThat(second.at("/manifest/streams").findValuesAsText("kind"))
        .containsExactly("full", "incremental");

    String outputs = Files.readString(dir.resolve("github-output"));
    assertThat(outputs)
        .contains("version=v1.1.0\n", "parent=v1.0.0\n", "op-dbus-v1.1.0-from-v1.0.0.send.zst")
        .contains("release-url=");
    String summary = Files.readString(dir.resolve("github-summary"));
    assertThat(summary)
        .contains("| stream | parent | stored | uncompressed | ratio | files |")
        .contains("| incremental | v1.0.0 |")
        .contains("signature verified");

    JsonNode list = json(opdeploy("--json", "list"));
    assertThat(list.get("snapshots").findValuesAsText("version"))
        .containsExactly("v1.0.0", "v1.1.0");
    assertThat(
            json(opdeploy("--json", "verify", dir.resolve("releases/v1.1.0").toString()))
                .get("signed")
                .asBoolean())
        .isTrue();

    JsonNode upgraded = json(opdeploy("--json", "upgrade", "v1.0.0", "--from", store));
    assertThat(upgraded.at("/deploy/stream").asText()).isEqualTo("full");
    Path cache = hosts.targetRoot().resolve("cache");
    assertThat(cache.resolve("v1.0.0/op-dbus-v1.0.0.send.zst"))
        .as("streamed, not cached")
        .doesNotExist();
    JsonNode incremental =
        json(opdeploy("--json", "upgrade", "v1.1.0", "--from", store, "--keep-cache"));
    assertThat(incremental.at("/deploy/stream").asText()).isEqualTo("incremental");
    assertThat(cache.resolve("v1.1.0/op-dbus-v1.1.0-from-v1.0.0.send.zst"))
        .as("--keep-cache")
        .isRegularFile();
    assertThat(incremental.get("healthy").asBoolean()).isTrue();
    JsonNode status = json(opdeploy("--json", "status"));
    assertThat(status.get("active").asText()).isEqualTo("v1.1.0");
    assertThat(status.get("previous").asText()).isEqualTo("v1.0.0");
    assertThat(status.get("installed").findValuesAsText("version"))
        .containsExactly("v1.0.0", "v1.1.0");
    assertThat(status.at("/installed/0/path").asText()).startsWith("/").endsWith("@op-dbus-v1.0.0");
    JsonNode rollback = json(opdeploy("--json", "rollback"));
    assertThat(rollback.get("version").asText()).isEqualTo("v1.0.0");
    assertThat(json(opdeploy("--json", "audit", "verify")).get("intact").asBoolean()).isTrue();
    assertThat(json(opdeploy("--json", "audit", "verify", "--build")).get("entries").asInt())
        .isGreaterThanOrEqualTo(2);

    assertNoSecretWasPrinted();
  }

  @Test
  void aReleaseRerunAfterAFailedPublishResumesInsteadOfRebuilding() throws Exception {
    Path unwritable = dir.resolve("not-a-folder");
    Files.writeString(unwritable, "a file where the store should be");
    CliRun failed = opdeploy("release", "v1.0.0", "--to", "dir:" + unwritable.resolve("releases"));
    assertThat(failed.exitCode()).isEqualTo(1);
    assertThat(hosts.pool().resolve("@op-dbus-v1.0.0")).isDirectory();
    assertThat(hosts.pool().resolve(".opdeploy/releases/v1.0.0/SHA256SUMS"))
        .as("kept for the rerun")
        .isRegularFile();

    JsonNode resumed =
        json(opdeploy("--json", "release", "v1.0.0", "--to", "dir:" + dir.resolve("releases")));
    assertThat(resumed.get("timings_ms").fieldNames()).toIterable().containsExactly("publish");
    assertThat(dir.resolve("releases/v1.0.0/SHA256SUMS.asc")).isRegularFile();
    assertThat(hosts.pool().resolve(".opdeploy/releases/v1.0.0")).doesNotExist();
    assertThat(json(opdeploy("--json", "audit", "verify", "--build")).get("entries").asInt())
        .isEqualTo(4);
  }

  @Test
  void badInputIsRefusedWithTheDocumentedExitCodes() throws Exception {
    assertThat(opdeploy("send", "../x", "--out", dir.resolve("out").toString()).exitCode())
        .isEqualTo(2);
    assertThat(opdeploy("snapshot", "v1.0.0").stderr()).contains("golden refresh");
    assertThat(opdeploy("golden", "refresh", "--runner", "chroot").exitCode()).isZero();
    assertThat(opdeploy("snapshot", "v1.0.0").exitCode()).isZero();
    CliRun again = opdeploy("snapshot", "v1.0.0");
    assertThat(again.exitCode()).isEqualTo(2);
    assertThat(again.stderr()).contains("already exists");
    assertThat(
            opdeploy("send", "v1.0.0", "--parent", "v0.9.0", "--out", dir.resolve("out").toString())
                .exitCode())
        .isEqualTo(2);
    assertThat(dir.resolve("out"))
        .satisfiesAnyOf(p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());

    Path lock = hosts.pool().resolve(".opdeploy/lock");
    try (RunLock held = RunLock.acquire(lock, "someone else", Duration.ZERO)) {
      CliRun locked = opdeploy("snapshot", "v1.0.1");
      assertThat(locked.exitCode()).isEqualTo(4);
      assertThat(locked.stderr()).contains("someone else");
    }
    assertThat(hosts.pool().resolve("@op-dbus-v1.0.1")).doesNotExist();

    Path out = dir.resolve("signed");
    assertThat(opdeploy("send", "v1.0.0", "--out", out.toString()).exitCode()).isZero();
    assertThat(out.resolve("SHA256SUMS.asc")).exists();
    Files.write(
        out.resolve("op-dbus-v1.0.0.send.zst"), new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
    CliRun tampered = opdeploy("verify", out.toString());
    assertThat(tampered.exitCode()).isEqualTo(3);
    assertThat(tampered.stderr()).contains("op-dbus-v1.0.0.send.zst");
    assertNoSecretWasPrinted();
  }

  private void assertNoSecretWasPrinted() throws Exception {
    String keyLine =
        hosts
            .key
            .armoredSecretKey()
            .lines()
            .filter(l -> l.length() > 40)
            .skip(2)
            .findFirst()
            .orElseThrow();
    for (CliRun run : hosts.runs) {
      // The runner consumes ::add-mask:: commands and never shows them; everything else is scanned.
      assertThat(run.stdout() + run.stderr()).contains("::add-mask::" + PASSPHRASE);
      String shown =
          (run.stdout() + run.stderr())
              .lines()
              .filter(l -> !l.startsWith("::add-mask::"))
              .collect(Collectors.joining("\n"));
      assertThat(shown).doesNotContain(PASSPHRASE).doesNotContain(keyLine);
    }
    for (String file : List.of("github-output", "github-summary")) {
      Path p = dir.resolve(file);
      if (Files.exists(p)) {
        assertThat(Files.readString(p)).doesNotContain(PASSPHRASE).doesNotContain(keyLine);
      }
    }
  }
}
