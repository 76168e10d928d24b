package org.opdeploy.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.opdeploy.progress.ProgressEvent;

class ProgressRendererTest {

  @Test
  void barShowsExactByteTotalsAndEta() {
    String line = ProgressRenderer.render(ProgressEvent.of("upload x.zst", 512L * 1024 * 1024, 1024L * 1024 * 1024), 4.0);
    assertThat(line).startsWith("upload x.zst [############            ]  50% 512.0 MiB / 1.0 GiB")
        .contains("(536870912 of 1073741824 bytes)").contains("ETA 4s").contains("128.0 MiB/s");
  }

  @Test
  void plainModePrintsTheFinalLineWithoutCarriageReturns() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ProgressRenderer renderer = new ProgressRenderer(new PrintStream(err, true, StandardCharsets.UTF_8), false, false);
    renderer.progress(ProgressEvent.of("send", 10, 100));
    renderer.progress(ProgressEvent.finished("send", 100));
    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(text).doesNotContain("\r").contains("send [########################] 100%");
  }

  @Test
  void quietModePrintsNoProgress() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ProgressRenderer renderer = new ProgressRenderer(new PrintStream(err, true, StandardCharsets.UTF_8), true, true);
    renderer.progress(ProgressEvent.finished("send", 100));
    renderer.stepStarted("send");
    assertThat(err.size()).isZero();
  }

  @Test
  void bytesUseBinaryUnits() {
    assertThat(Bytes.format(1023)).isEqualTo("1023 B");
    assertThat(Bytes.format(1536)).isEqualTo("1.5 KiB");
    assertThat(Bytes.format(3L * 1024 * 1024 * 1024)).isEqualTo("3.0 GiB");
  }
}
