package org.opdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.opdeploy.audit.AuditLog;
import org.opdeploy.btrfs.BtrfsCli;
import org.opdeploy.btrfs.SubvolumeInfo;
import org.opdeploy.container.MountTable;
import org.opdeploy.deploy.layout.TargetLayout;
import org.opdeploy.process.ProcessRunner;

/**
 * What a converged target looks like, checked the way an operator would: {@code current}, the two
 * mounts (exactly one layer each) and {@code state.json} agree on the active version; no switch is
 * pending; no temporary file, journal marker or half-received subvolume is left; the audit chain is
 * intact.
 */
final class TargetInvariants {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final TargetFixture fx;

  TargetInvariants(TargetFixture fx) {
    this.fx = fx;
  }

  void assertConverged(String active, String... deployments) throws Exception {
    TargetLayout layout = fx.layout();
    assertThat(fx.state().active()).as("state.json active").hasToString(active);
    assertThat(Files.readSymbolicLink(layout.current()).toString())
        .isEqualTo("deploy/@op-dbus-" + active);
    assertThat(Files.readString(fx.settings.mount().resolve("etc/op-dbus/version")).strip())
        .isEqualTo(active);
    assertThat(Files.readString(fx.settings.overlay().resolve("etc/op-dbus/version")).strip())
        .isEqualTo(active);
    assertThat(new MountTable().countAt(fx.settings.mount()))
        .as("layers at the mount")
        .isEqualTo(1);
    assertThat(new MountTable().countAt(fx.settings.overlay()))
        .as("layers at the overlay")
        .isEqualTo(1);
    assertThat(layout.switchFile()).as("no switch pending").doesNotExist();
    assertThat(leftovers()).as("temporary files and journal markers").isEmpty();
    assertThat(subvolumes()).as("deployments").containsExactlyInAnyOrder(deployments);
    assertThat(fx.agent().status().pendingSwitch()).isNull();
    assertThat(fx.agent().verifyAudit()).isPositive();
  }

  /** Temporary files in the root and markers in the staging and pruning journals. */
  List<Path> leftovers() throws Exception {
    List<Path> found = new ArrayList<>();
    TargetLayout layout = fx.layout();
    try (Stream<Path> files = Files.list(layout.root())) {
      files
          .filter(
              p ->
                  p.getFileName().toString().endsWith(".tmp")
                      || p.getFileName().toString().endsWith(".new"))
          .forEach(found::add);
    }
    for (Path journal : List.of(layout.staging(), layout.pruneJournal())) {
      if (Files.isDirectory(journal)) {
        try (Stream<Path> markers = Files.list(journal)) {
          markers.forEach(found::add);
        }
      }
    }
    return found;
  }

  /** The names of every subvolume under {@code deploy/}, marked or not. */
  List<String> subvolumes() throws Exception {
    return new BtrfsCli(new ProcessRunner())
        .list(fx.layout().deployments()).stream()
            .map(SubvolumeInfo::path)
            .map(p -> p.getFileName().toString().replace("@op-dbus-", ""))
            .toList();
  }

  /** The audit entries from line {@code from} (0-based) on. */
  List<JsonNode> auditFrom(int from) throws Exception {
    List<JsonNode> entries = new ArrayList<>();
    Path log = fx.layout().auditLog();
    if (!Files.exists(log)) {
      return entries;
    }
    List<String> lines = Files.readAllLines(log);
    for (String line : lines.subList(Math.min(from, lines.size()), lines.size())) {
      entries.add(JSON.readTree(line));
    }
    return entries;
  }

  int auditLines() throws Exception {
    Path log = fx.layout().auditLog();
    return Files.exists(log) ? Files.readAllLines(log).size() : 0;
  }

  /** {@code command result} of each entry, e.g. {@code upgrade started}. */
  static List<String> summary(List<JsonNode> entries) {
    return entries.stream()
        .map(e -> e.get("command").asText() + " " + e.get("result").asText())
        .toList();
  }

  static void assertChainIntact(Path log) throws Exception {
    new AuditLog(log).verify();
  }
}
