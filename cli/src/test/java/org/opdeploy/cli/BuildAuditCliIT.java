package org.opdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build pool's audit log says who ran each command (the sudo caller) and what it did: the
 * versions from and to, the streams written and their bytes, where a release went; its chain
 * verifies with {@code opdeploy audit verify --build}. Real btrfs, through the command line.
 */
class BuildAuditCliIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private TwoHosts hosts;

  @BeforeEach
  void setUp() throws Exception {
    hosts = TwoHosts.create(dir, null);
    hosts.env.put("SUDO_USER", "alice");
  }

  @AfterEach
  void tearDown() throws Exception {
    hosts.close();
  }

  @Test
  void eachBuildCommandRecordsWhoRanItAndWhatItDid() throws Exception {
    run("golden", "refresh", "--runner", "chroot");
    run("snapshot", "v1.0.0");
    run("snapshot", "v1.1.0");
    Path out = dir.resolve("out");
    run("send", "v1.1.0", "--parent", "v1.0.0", "--out", out.toString());
    Path store = dir.resolve("store");
    run(
        "publish",
        "v1.1.0",
        "--dir",
        out.toString(),
        "--to",
        "dir:" + store,
        "--installer",
        "none");
    run("prune", "--keep", "1");

    List<JsonNode> entries = audit();
    assertThat(entries)
        .extracting(e -> e.get("command").asText() + " " + e.get("result").asText())
        .containsExactly(
            "golden refresh started",
            "golden refresh ok",
            "snapshot started",
            "snapshot ok",
            "snapshot started",
            "snapshot ok",
            "send started",
            "send ok",
            "publish started",
            "publish ok",
            "prune started",
            "prune ok");
    for (JsonNode entry : entries) {
      assertThat(entry.get("user").asText()).isEqualTo("alice");
      assertThat(entry.at("/details/via").asText()).isEqualTo("sudo");
      assertThat(entry.at("/details/account").asText()).isEqualTo("root");
    }
    assertThat(entries.get(1).at("/details/runner").asText()).isEqualTo("chroot");
    assertThat(entries.get(3).at("/details/to_version").asText()).isEqualTo("v1.0.0");
    assertThat(entries.get(3).at("/details/uuid").asText()).isNotEmpty();
    JsonNode send = entries.get(7).get("details");
    assertThat(entries.get(7).get("version").asText()).isEqualTo("v1.1.0");
    assertThat(send.get("to_version").asText()).isEqualTo("v1.1.0");
    assertThat(send.get("from_version").asText()).isEqualTo("v1.0.0");
    assertThat(send.get("streams").asText()).isEqualTo("full,incremental");
    assertThat(send.get("bytes").asLong())
        .isEqualTo(
            sizeOf(out, "op-dbus-v1.1.0.send.zst")
                + sizeOf(out, "op-dbus-v1.1.0-from-v1.0.0.send.zst"));
    assertThat(send.get("out").asText()).isEqualTo(out.toString());
    assertThat(send.get("signer").asText()).isNotEmpty().isNotEqualTo("none");
    JsonNode publish = entries.get(9).get("details");
    assertThat(publish.get("source").asText()).isEqualTo(out.toString());
    assertThat(publish.get("destination").asText()).isEqualTo("dir:" + store);
    assertThat(publish.get("signed").asText()).isEqualTo("true");
    // v1.0.0 stays: the published incremental of v1.1.0 needs it as its parent.
    assertThat(entries.get(11).at("/details/deleted").asText()).isEmpty();
    assertThat(entries.get(11).at("/details/kept").asText()).isEqualTo("2");
    assertThat(entries.get(11).at("/details/keep").asText()).isEqualTo("1");

    CliRun verify = hosts.run("audit", "verify", "--build");
    assertThat(verify.exitCode()).as(verify.stderr()).isZero();
    assertThat(verify.stdout()).contains(entries.size() + " entries, chain intact");
  }

  private void run(String... args) {
    CliRun run = hosts.run(args);
    assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.stderr()).isZero();
  }

  private static long sizeOf(Path folder, String name) throws Exception {
    return Files.size(folder.resolve(name));
  }

  private List<JsonNode> audit() throws Exception {
    List<JsonNode> entries = new ArrayList<>();
    for (String line : Files.readAllLines(hosts.pool().resolve(".opdeploy/audit.log"))) {
      entries.add(JSON.readTree(line));
    }
    return entries;
  }
}
