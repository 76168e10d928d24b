package org.opdeploy.btrfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opdeploy.error.BadInputException;
import org.opdeploy.error.ExitCode;

/** Issue 9.3: the send protocol is the targets' choice, 1 unless asked. */
class SendProtocolTest {

  @Test
  void theDefaultIsProtocolOneWithoutCompressedData() throws Exception {
    assertThat(SendProtocol.parse(null, false))
        .isEqualTo(new SendProtocol(1, false))
        .isEqualTo(SendProtocol.DEFAULT);
    assertThat(SendProtocol.parse("2", true)).isEqualTo(new SendProtocol(2, true));
  }

  @Test
  void anUnknownProtocolIsBadInput() {
    assertThatThrownBy(() -> SendProtocol.parse("3", false))
        .isInstanceOfSatisfying(
            BadInputException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT))
        .hasMessage(
            "invalid send protocol '3': use 1 (every target receives it) or 2 (needs btrfs-progs"
                + " 6.0 on the targets)");
  }

  @Test
  void compressedDataWithoutProtocolTwoIsBadInput() {
    assertThatThrownBy(() -> SendProtocol.parse("1", true))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("--compressed-data needs send-protocol 2")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> SendProtocol.parse(null, true)).isInstanceOf(BadInputException.class);
  }

  @Test
  void btrfsProgsBeforeSixReceiveOnlyProtocolOne() {
    assertThat(SendProtocol.receivableBy("btrfs-progs v5.10.1")).as("Debian 11").isEqualTo(1);
    assertThat(SendProtocol.receivableBy("btrfs-progs v5.16.2")).as("Ubuntu 22.04").isEqualTo(1);
    assertThat(SendProtocol.receivableBy("btrfs-progs v6.0")).isEqualTo(2);
    assertThat(SendProtocol.receivableBy("btrfs-progs v6.2")).as("Debian 12").isEqualTo(2);
    assertThat(SendProtocol.receivableBy("something else")).isEqualTo(1);
  }
}
