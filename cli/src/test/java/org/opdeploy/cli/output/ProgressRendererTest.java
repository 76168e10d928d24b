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
    String line =
        ProgressRenderer.render(
            ProgressEvent.of("upload x.zst", 512L * 1024 * 1024, 1024L * 1024 * 1024), 4.0);
    assertThat(line)
        .startsWith("upload x.zst [############            ]  50% 512.0 MiB / 1.0 GiB")
        .contains("(536870912 of 1073741824 bytes)")
        .contains("ETA 4s")
        .contains("128.0 MiB/s");
  }

  @Test
  void plainModePrintsTheFinalLineWithoutCarriageReturns() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ProgressRenderer renderer =
        new ProgressRenderer(new PrintStream(err, true, StandardCharsets.UTF_8), false, false);
    renderer.progress(ProgressEvent.of("send", 10, 100));
    renderer.progress(ProgressEvent.finished("send", 100));
    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(text).doesNotContain("\r").contains("send [########################] 100%");
  }

  @Test
  void quietModePrintsNoProgress() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ProgressRenderer renderer =
        new ProgressRenderer(new PrintStream(err, true, StandardCharsets.UTF_8), true, true);
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

  private static final String LONG_TASK =
      "incremental stream of v2026.12.01-nightly.3 from v2026.11.30-nightly.2";

  @Test
  void aTerminalLineNeverGetsWiderThanAnEightyColumnTerminal() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ProgressRenderer renderer =
        new ProgressRenderer(
            new PrintStream(err, true, StandardCharsets.UTF_8), true, false, () -> 80);
    long total = 123L * 1024 * 1024 * 1024 + 4567;
    renderer.progress(ProgressEvent.of(LONG_TASK, 1, total));
    renderer.progress(
        ProgressEvent.estimated("full stream of v1.2.0", 3_000_000_000L, 7_000_000_000L));
    renderer.progress(
        ProgressEvent.waiting(
            "receive v1.2.0", total, "waiting for the deployment to sync to disk"));
    renderer.progress(ProgressEvent.finished(LONG_TASK, total));
    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(text).startsWith("\r\033[K");
    for (String redraw : text.split("\r\033\\[K")) {
      assertThat(redraw.strip()).doesNotContain("\n").hasSizeLessThan(80);
    }
  }

  @Test
  void aNarrowLineDropsDetailsBeforeItShortensTheTaskAndKeepsTheEta() {
    String line =
        ProgressRenderer.render(
            ProgressEvent.of(LONG_TASK, 512L * 1024 * 1024, 1024L * 1024 * 1024), 4.0, 79);
    assertThat(line)
        .hasSizeLessThanOrEqualTo(79)
        .startsWith(LONG_TASK.substring(0, 40))
        .contains("…")
        .contains(" 50% ")
        .contains("ETA 4s")
        .doesNotContain("bytes)");
    String narrow =
        ProgressRenderer.render(
            ProgressEvent.of(LONG_TASK, 512L * 1024 * 1024, 1024L * 1024 * 1024), 4.0, 40);
    assertThat(narrow)
        .hasSizeLessThanOrEqualTo(40)
        .contains("…")
        .contains("50%")
        .contains("512.0 MiB / 1.0 GiB");
  }

  @Test
  void aSendShowsItsEstimatedTotalPercentageAndEta() {
    String line =
        ProgressRenderer.render(
            ProgressEvent.estimated("full stream of v1.2.0", 2L << 30, 4L << 30), 10.0, 79);
    assertThat(line).contains(" 50% ").contains("2.0 GiB / ~4.0 GiB").contains("ETA 10s");
    assertThat(ProgressRenderer.render(ProgressEvent.estimated("send", 5L << 30, 4L << 30), 10.0))
        .as("past the estimate, never 100% before it ends")
        .contains(" 99% ");
    assertThat(ProgressRenderer.render(ProgressEvent.estimated("send", 100, -1), 10.0))
        .doesNotContain("%");
  }

  @Test
  void theReceiveBarSaysWhatItWaitsForAfterTheLastByte() {
    String line =
        ProgressRenderer.render(
            ProgressEvent.waiting(
                "receive v1.2.0", 1L << 30, "waiting for the deployment to sync to disk"),
            30.0,
            79);
    assertThat(line)
        .contains("100%")
        .endsWith(": waiting for the deployment to sync to disk")
        .doesNotContain("ETA");
  }

  @Test
  void aLineThatFollowsAnOpenBarStartsOnAClearedLine() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ProgressRenderer renderer =
        new ProgressRenderer(
            new PrintStream(err, true, StandardCharsets.UTF_8), true, false, () -> 80);
    renderer.progress(ProgressEvent.of("send", 10, 100));
    renderer.info("a note");
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("bytes)\r\033[K    a note\n");
  }

  @Test
  void anErrorAfterAnOpenBarLeavesTheBarAndStartsANewLine() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ProgressRenderer renderer =
        new ProgressRenderer(
            new PrintStream(err, true, StandardCharsets.UTF_8), true, false, () -> 80);
    renderer.progress(ProgressEvent.of("send", 10, 100));
    renderer.breakLine();
    renderer.breakLine();
    assertThat(err.toString(StandardCharsets.UTF_8)).endsWith("bytes)\n");
  }
}
