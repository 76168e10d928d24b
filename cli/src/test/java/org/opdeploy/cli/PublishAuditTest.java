package org.opdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.build.BuildAgent;
import org.opdeploy.progress.ProgressListener;
import org.opdeploy.testing.SampleRelease;

/**
 * {@code publish} of a folder that would go out unsigned needs {@code --allow-unsigned}, as {@code
 * release} does; a publish is recorded in the pool's audit log with who ran it and what it
 * published, and the chain still verifies.
 */
class PublishAuditTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void anUnsignedFolderWithoutAllowUnsignedIsRefusedWithOneLineAndNothingIsPublished()
      throws Exception {
    Path out = unsignedRelease();
    Path store = dir.resolve("store");

    CliRun run = CliRun.of(publish(out, store));

    assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
    assertThat(run.stderr().strip().lines()).hasSize(1);
    assertThat(run.stderr())
        .contains(out + " is not signed and no signing key is set")
        .contains("OPDEPLOY_SIGNING_KEY")
        .contains("--allow-unsigned");
    assertThat(store.resolve("v1.0.0")).doesNotExist();
    assertThat(pool().resolve(".opdeploy/audit.log")).doesNotExist();
  }

  @Test
  void aDryRunRefusesItToo() throws Exception {
    Path out = unsignedRelease();

    CliRun run = CliRun.of(with(publish(out, dir.resolve("store")), "--dry-run"));

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("--allow-unsigned");
  }

  @Test
  void allowUnsignedPublishesItAndThePoolsAuditLogSaysWhoAndWhat() throws Exception {
    Path out = unsignedRelease();
    Path store = dir.resolve("store");
    Files.createDirectories(pool().resolve(".opdeploy"));

    CliRun run =
        CliRun.of(Map.of("SUDO_USER", "alice"), with(publish(out, store), "--allow-unsigned"));

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(store.resolve("v1.0.0").resolve("SHA256SUMS")).isRegularFile();
    List<JsonNode> entries = audit();
    assertThat(entries)
        .extracting(e -> e.get("command").asText() + " " + e.get("result").asText())
        .containsExactly("publish started", "publish ok");
    JsonNode end = entries.get(1);
    assertThat(end.get("version").asText()).isEqualTo("v1.0.0");
    assertThat(end.get("user").asText()).isEqualTo("alice");
    JsonNode details = end.get("details");
    assertThat(details.get("via").asText()).isEqualTo("sudo");
    assertThat(details.get("account").asText()).isEqualTo(System.getProperty("user.name"));
    assertThat(details.get("source").asText()).isEqualTo(out.toString());
    assertThat(details.get("destination").asText()).contains(store.toString());
    assertThat(details.get("signed").asText()).isEqualTo("false");
    assertThat(details.get("uploaded").asInt()).isPositive();
    assertThat(details.get("url").asText()).isNotEmpty();
    assertThat(entries.get(0).get("details").get("destination").asText())
        .isEqualTo(details.get("destination").asText());

    CliRun verify = CliRun.of("--pool", pool().toString(), "audit", "verify", "--build");
    assertThat(verify.exitCode()).as(verify.stderr()).isZero();
    assertThat(verify.stdout()).contains("2 entries, chain intact");
  }

  @Test
  void aHostWithoutAPoolPublishesUnrecordedAndSaysSo() throws Exception {
    Path out = unsignedRelease();

    CliRun run = CliRun.of(with(publish(out, dir.resolve("store")), "--allow-unsigned"));

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stderr()).contains("not recorded in an audit log");
    assertThat(pool()).doesNotExist();
  }

  private Path pool() {
    return dir.resolve("pool");
  }

  private String[] publish(Path out, Path store) {
    return new String[] {
      "--pool",
      pool().toString(),
      "publish",
      "v1.0.0",
      "--dir",
      out.toString(),
      "--to",
      "dir:" + store,
      "--installer",
      "none"
    };
  }

  private static String[] with(String[] args, String extra) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 1);
    all[args.length] = extra;
    return all;
  }

  /** A folder as {@code send} without a signing key leaves it: SHA256SUMS, no signature. */
  private Path unsignedRelease() throws Exception {
    Path out = SampleRelease.write(dir.resolve("out"), "op-dbus", "v1.0.0", 1, 4096);
    BuildAgent.sealFolder(out, null, ProgressListener.NONE);
    return out;
  }

  private List<JsonNode> audit() throws Exception {
    List<JsonNode> entries = new ArrayList<>();
    for (String line : Files.readAllLines(pool().resolve(".opdeploy/audit.log"))) {
      entries.add(JSON.readTree(line));
    }
    return entries;
  }
}
