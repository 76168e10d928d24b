package org.opdeploy.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MountTableTest {
  @TempDir Path tmp;

  @Test
  void listsMountsBelowAFolderDeepestFirstDecodingEscapes() throws Exception {
    Path info =
        Files.writeString(
            tmp.resolve("mountinfo"),
            String.join(
                "\n",
                "22 1 0:21 / / rw - ext4 /dev/vda rw",
                "30 22 0:40 / /srv/pool rw - btrfs /dev/loop0 rw",
                "31 30 0:5 / /srv/pool/@op-dbus-golden/dev rw - devtmpfs udev rw",
                "32 31 0:6 / /srv/pool/@op-dbus-golden/dev/pts rw - devpts devpts rw",
                "33 30 0:7 / /srv/pool/@op-dbus-golden/my\\040dir rw - tmpfs tmpfs rw",
                "34 22 0:8 / /srv/pool/@op-dbus-golden-old/proc rw - proc proc rw",
                ""));

    assertThat(new MountTable(info).mountsUnder(Path.of("/srv/pool/@op-dbus-golden")))
        .containsExactly(
            Path.of("/srv/pool/@op-dbus-golden/dev/pts"),
            Path.of("/srv/pool/@op-dbus-golden/dev"),
            Path.of("/srv/pool/@op-dbus-golden/my dir"));
  }
}
