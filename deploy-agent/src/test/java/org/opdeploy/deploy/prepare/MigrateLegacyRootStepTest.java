package org.opdeploy.deploy.prepare;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opdeploy.progress.ProgressListener;

class MigrateLegacyRootStepTest {
  @TempDir Path dir;

  private final List<String> warnings = new ArrayList<>();
  private final ProgressListener progress =
      new ProgressListener() {
        @Override
        public void warn(String message) {
          warnings.add(message);
        }
      };

  @Test
  void anOldRootMovesAsAWholeAndThePayloadsDataGoesBackToItsFolder() throws Exception {
    Path legacy = dir.resolve("var/lib/op-dbus");
    Path root = dir.resolve("var/lib/opdeploy");
    Path units = Files.createDirectories(dir.resolve("etc/systemd/system"));
    Files.createDirectories(legacy.resolve("deploy/@op-dbus-v1.0.0/etc/systemd/system"));
    Files.writeString(
        legacy.resolve("deploy/@op-dbus-v1.0.0/etc/systemd/system/op-dbus.service"), "[Service]\n");
    Files.createDirectories(legacy.resolve("cache/v1.0.0"));
    Files.createDirectories(legacy.resolve("overlays/v1.0.0/upper"));
    Files.writeString(legacy.resolve("state.json"), "{\"format\":1,\"active\":\"v1.0.0\"}");
    Files.writeString(legacy.resolve("audit.log"), "{}\n");
    Files.createSymbolicLink(legacy.resolve("current"), Path.of("deploy/@op-dbus-v1.0.0"));
    Files.createDirectories(legacy.resolve("@cache"));
    Files.writeString(legacy.resolve("@cache/index"), "op-dbus data");
    Files.createSymbolicLink(
        units.resolve("op-dbus.service"),
        legacy.resolve("deploy/@op-dbus-v1.0.0/etc/systemd/system/op-dbus.service"));
    Files.createSymbolicLink(
        units.resolve("other.service"), Path.of("/usr/lib/systemd/system/other.service"));

    assertThat(new MigrateLegacyRootStep(legacy, root, units, progress).run()).isTrue();

    assertThat(root.resolve("state.json")).hasContent("{\"format\":1,\"active\":\"v1.0.0\"}");
    assertThat(root.resolve("audit.log")).exists();
    assertThat(root.resolve("current/etc/systemd/system/op-dbus.service")).exists();
    assertThat(root.resolve("cache/v1.0.0")).isDirectory();
    assertThat(root.resolve("overlays/v1.0.0/upper")).isDirectory();
    assertThat(root.resolve("@cache")).doesNotExist();
    assertThat(Files.getPosixFilePermissions(root))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    try (var left = Files.list(legacy)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("@cache");
    }
    assertThat(legacy.resolve("@cache/index")).hasContent("op-dbus data");
    assertThat(Files.readSymbolicLink(units.resolve("op-dbus.service")))
        .isEqualTo(root.resolve("deploy/@op-dbus-v1.0.0/etc/systemd/system/op-dbus.service"));
    assertThat(units.resolve("op-dbus.service")).exists();
    assertThat(Files.readSymbolicLink(units.resolve("other.service")))
        .isEqualTo(Path.of("/usr/lib/systemd/system/other.service"));
    assertThat(warnings)
        .singleElement()
        .asString()
        .contains("moved the target root from " + legacy + " to " + root)
        .contains("@cache");
  }

  @Test
  void nothingMovesWhenTheNewRootExistsOrTheOldFolderIsOnlyThePayloadsData() throws Exception {
    Path legacy = dir.resolve("old");
    Path root = dir.resolve("new");
    Files.createDirectories(legacy.resolve("@cache"));
    assertThat(new MigrateLegacyRootStep(legacy, root, dir.resolve("units"), progress).run())
        .isFalse();
    assertThat(root).doesNotExist();

    Files.writeString(legacy.resolve("state.json"), "{}");
    Files.createDirectories(root);
    assertThat(new MigrateLegacyRootStep(legacy, root, dir.resolve("units"), progress).run())
        .isFalse();
    assertThat(legacy.resolve("state.json")).exists();
    assertThat(warnings).isEmpty();
  }
}
