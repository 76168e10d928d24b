package org.opdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dry runs on real btrfs say exactly what the real run then does: the version rollback switches to,
 * what prune and target prune delete (or that nothing would be), full or incremental and the bytes
 * of an upgrade, with the real run's JSON keys.
 */
class DryRunCliIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private TwoHosts hosts;

  @BeforeEach
  void setUp() throws Exception {
    hosts = TwoHosts.create(dir, "dry run passphrase 51c2");
  }

  @AfterEach
  void tearDown() throws Exception {
    hosts.close();
  }

  private JsonNode json(String... args) throws Exception {
    CliRun run = hosts.run(args);
    assertThat(run.exitCode()).as(String.join(" ", args) + "\n" + run.stderr()).isZero();
    return List.of(args).contains("--json") ? JSON.readTree(run.stdout()) : null;
  }

  private static List<String> keys(JsonNode node) {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    keys.remove("dry_run");
    return keys;
  }

  @Test
  void dryRunsNameWhatTheRealRunThenDoes() throws Exception {
    String store = "dir:" + dir.resolve("releases");
    json("release", "v1.0.0", "--to", store, "--runner", "chroot");
    json("release", "v1.1.0", "--to", store);

    json("snapshot", "v0.9.0");
    JsonNode prunePlan1 = json("--json", "prune", "--keep", "1", "--dry-run");
    assertThat(prunePlan1.get("deleted").toString()).isEqualTo("[\"v0.9.0\"]");
    assertThat(hosts.run("prune", "--keep", "1", "--dry-run").stdout())
        .contains("would delete " + hosts.pool().resolve("@op-dbus-v0.9.0"))
        .contains("would keep 2, delete 1");
    assertThat(hosts.pool().resolve("@op-dbus-v0.9.0")).as("a dry run deletes nothing").exists();

    JsonNode pruneNothing = json("--json", "prune", "--keep", "5", "--dry-run");
    assertThat(pruneNothing.get("deleted")).isEmpty();
    assertThat(hosts.run("prune", "--keep", "5", "--dry-run").stdout())
        .contains("nothing to delete");
    JsonNode pruneReal = json("--json", "prune", "--keep", "5");
    assertThat(keys(pruneNothing)).isEqualTo(keys(pruneReal));
    assertThat(pruneReal.get("kept")).isEqualTo(pruneNothing.get("kept"));

    JsonNode fullPlan = json("--json", "upgrade", "v1.0.0", "--from", store, "--dry-run");
    assertThat(fullPlan.at("/deploy/stream").asText()).isEqualTo("full");
    assertThat(fullPlan.at("/deploy/stream_bytes").asLong()).isPositive();
    assertThat(json("--json", "status").get("installed")).as("a dry run deploys nothing").isEmpty();
    JsonNode full = json("--json", "upgrade", "v1.0.0", "--from", store);
    assertThat(full.at("/deploy/stream_bytes").asLong())
        .isEqualTo(fullPlan.at("/deploy/stream_bytes").asLong());
    assertThat(keys(fullPlan.get("deploy"))).isSubsetOf(keys(full.get("deploy")));

    JsonNode incrementalPlan = json("--json", "upgrade", "v1.1.0", "--from", store, "--dry-run");
    assertThat(incrementalPlan.at("/deploy/stream").asText()).isEqualTo("incremental");
    assertThat(incrementalPlan.at("/deploy/parent").asText()).isEqualTo("v1.0.0");
    String text = hosts.run("upgrade", "v1.1.0", "--from", store, "--dry-run").stdout();
    assertThat(text).contains("incremental stream from v1.0.0").contains(" bytes");
    JsonNode incremental = json("--json", "upgrade", "v1.1.0", "--from", store);
    assertThat(incremental.at("/activation/unit").asText()).isEqualTo("op-dbus.service");
    assertThat(incremental.at("/activation/restarted").isBoolean()).isTrue();
    assertThat(incremental.at("/activation/restarted").asBoolean())
        .as("--service none restarts nothing")
        .isFalse();
    assertThat(incremental.at("/deploy/stream_bytes").asLong())
        .isEqualTo(incrementalPlan.at("/deploy/stream_bytes").asLong());

    JsonNode rollbackPlan = json("--json", "rollback", "--dry-run");
    assertThat(rollbackPlan.get("version").asText()).isEqualTo("v1.0.0");
    assertThat(rollbackPlan.get("previous").asText()).isEqualTo("v1.1.0");
    assertThat(json("--json", "status").get("active").asText()).isEqualTo("v1.1.0");

    JsonNode prunePlan = json("--json", "target", "prune", "--keep", "1", "--dry-run");
    assertThat(prunePlan.get("removed")).isEmpty();
    assertThat(hosts.run("target", "prune", "--keep", "1", "--dry-run").stdout())
        .contains("nothing to remove")
        .contains("would keep v1.0.0 (previous)");
    JsonNode prune = json("--json", "target", "prune", "--keep", "1");
    assertThat(keys(prunePlan)).isEqualTo(keys(prune));
    assertThat(prune.get("kept")).isEqualTo(prunePlan.get("kept"));

    assertThat(hosts.run("activate", "v1.1.0", "--dry-run").stdout())
        .contains("no service restarted")
        .doesNotContain("and restart");
    JsonNode rollback = json("--json", "rollback");
    assertThat(rollback.get("restarted").asBoolean()).isFalse();
    CliRun back = hosts.run("rollback", "v1.1.0");
    assertThat(back.exitCode()).as(back.stderr()).isZero();
    assertThat(back.stdout()).startsWith("active: v1.1.0").doesNotContain("restarted");
    assertThat(rollback.get("version").asText()).isEqualTo(rollbackPlan.get("version").asText());
    assertThat(rollback.get("deployment").asText())
        .isEqualTo(rollbackPlan.get("deployment").asText());
    assertThat(keys(rollbackPlan)).isSubsetOf(keys(rollback));
  }
}
