package org.opdeploy.cli.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.opdeploy.cli.output.Bytes;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.manifest.Manifest;

/** What the demo did and measured, printed as the closing summary table (or as JSON). */
public final class DemoReport {
  /** A timed step of the demo. */
  public record Timing(String name, long millis) {}

  /** One stream of one release. */
  public record StreamRow(
      String version, String kind, String parent, long stored, long uncompressed, int files) {}

  /** One target-side outcome. */
  public record TargetRow(String action, String result) {}

  private final List<Timing> steps = new ArrayList<>();
  private final List<StreamRow> streams = new ArrayList<>();
  private final List<TargetRow> target = new ArrayList<>();
  private String signer;
  private String active;

  @FunctionalInterface
  interface Work<T> {
    T run() throws OpdeployException;
  }

  <T> T time(String name, Work<T> work) throws OpdeployException {
    long start = System.nanoTime();
    T result = work.run();
    steps.add(new Timing(name, (System.nanoTime() - start) / 1_000_000));
    return result;
  }

  void release(Manifest manifest, Map<String, Duration> timings) {
    for (Manifest.Stream s : manifest.streams()) {
      streams.add(
          new StreamRow(
              manifest.version().toString(),
              s.kind(),
              s.parent() == null ? null : s.parent().version().toString(),
              s.storedSize(),
              s.streamSize(),
              s.files().size()));
    }
  }

  void target(String action, String result) {
    target.add(new TargetRow(action, result));
  }

  void signer(String fingerprint) {
    this.signer = fingerprint;
  }

  void active(String version) {
    this.active = version;
  }

  /** The fields of the --json document. */
  public Map<String, Object> fields() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("steps", steps);
    doc.put("streams", streams);
    doc.put("target", target);
    doc.put("signer", signer);
    doc.put("active", active);
    return doc;
  }

  public List<String> lines(Duration total) {
    List<String> out = new ArrayList<>();
    out.add("");
    out.add("opdeploy demo: summary");
    out.add("");
    out.add(
        String.format(
            Locale.ROOT,
            "  %-8s %-12s %-8s %12s %14s %8s",
            "release",
            "stream",
            "parent",
            "stored",
            "uncompressed",
            "ratio"));
    for (StreamRow s : streams) {
      out.add(
          String.format(
              Locale.ROOT,
              "  %-8s %-12s %-8s %12s %14s %8s",
              s.version(),
              s.kind(),
              s.parent() == null ? "-" : s.parent(),
              Bytes.format(s.stored()),
              Bytes.format(s.uncompressed()),
              s.stored() == 0
                  ? "-"
                  : String.format(Locale.ROOT, "%.2fx", (double) s.uncompressed() / s.stored())));
    }
    out.add("");
    out.add(
        "  verification: SHA256SUMS signed by "
            + signer
            + " and checked against the target's trusted keys;");
    out.add(
        "                every stream file's SHA-256 and the manifest rules checked before btrfs receive");
    out.add("");
    for (TargetRow t : target) {
      out.add(String.format(Locale.ROOT, "  %-20s %s", t.action(), t.result()));
    }
    out.add("");
    out.add(String.format(Locale.ROOT, "  %-72s %9s", "step", "time"));
    for (Timing s : steps) {
      out.add(String.format(Locale.ROOT, "  %-72s %7.1f s", s.name(), s.millis() / 1000.0));
    }
    out.add(String.format(Locale.ROOT, "  %-72s %7.1f s", "total", total.toMillis() / 1000.0));
    out.add("");
    out.add("  active on the target at the end: " + active);
    return out;
  }
}
