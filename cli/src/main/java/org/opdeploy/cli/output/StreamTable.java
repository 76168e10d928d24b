package org.opdeploy.cli.output;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.opdeploy.manifest.Manifest;

/**
 * The streams of a release as a table — kind, parent, stored and uncompressed size, ratio, files —
 * in plain text for terminals and in Markdown for the Actions job summary.
 */
public final class StreamTable {
  private StreamTable() {}

  public static List<String> text(Manifest manifest) {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "%-12s %-24s %12s %14s %7s  %s",
            "stream",
            "parent",
            "stored",
            "uncompressed",
            "ratio",
            "files"));
    for (Manifest.Stream s : manifest.streams()) {
      lines.add(
          String.format(
              Locale.ROOT,
              "%-12s %-24s %12s %14s %7s  %d",
              s.kind(),
              s.parent() == null ? "-" : s.parent().version(),
              Bytes.format(s.storedSize()),
              Bytes.format(s.streamSize()),
              ratio(s),
              s.files().size()));
    }
    return lines;
  }

  public static String markdown(Manifest manifest, String verification, String duration) {
    StringBuilder md = new StringBuilder();
    md.append("### ").append(manifest.name()).append(' ').append(manifest.version()).append("\n\n");
    md.append("| stream | parent | stored | uncompressed | ratio | files |\n");
    md.append("|---|---|---:|---:|---:|---:|\n");
    for (Manifest.Stream s : manifest.streams()) {
      md.append("| ")
          .append(s.kind())
          .append(" | ")
          .append(s.parent() == null ? "–" : s.parent().version())
          .append(" | ")
          .append(Bytes.format(s.storedSize()))
          .append(" | ")
          .append(Bytes.format(s.streamSize()))
          .append(" | ")
          .append(ratio(s))
          .append(" | ")
          .append(s.files().size())
          .append(" |\n");
    }
    md.append("\n**Verification:** ")
        .append(verification)
        .append("  \n**Duration:** ")
        .append(duration)
        .append('\n');
    return md.toString();
  }

  static String ratio(Manifest.Stream s) {
    return s.storedSize() == 0
        ? "-"
        : String.format(Locale.ROOT, "%.2fx", (double) s.streamSize() / s.storedSize());
  }
}
