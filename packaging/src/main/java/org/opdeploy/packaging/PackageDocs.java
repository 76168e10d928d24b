package org.opdeploy.packaging;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.opdeploy.cli.CommandModel;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * Writes the generated files of the Debian package from opdeploy's command model: the man page,
 * bash, zsh and fish completion, and the Debian changelog. Run by the build (prepare-package).
 * Compressed files are gzip at maximum compression with no name and no time in their header, so
 * that two builds of one commit give the same bytes. Usage: {@code PackageDocs OUT_DIR
 * MAVEN_VERSION OUTPUT_TIMESTAMP}.
 */
public final class PackageDocs {
  private PackageDocs() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      throw new IllegalArgumentException(
          "usage: PackageDocs OUT_DIR MAVEN_VERSION OUTPUT_TIMESTAMP");
    }
    Path out = Path.of(args[0]);
    String version = args[1];
    Instant time = timestamp(args[2]);
    CommandLine model = CommandModel.full();
    gzip(out.resolve("opdeploy.1.gz"), new ManPage(model.getCommandSpec(), version, time).render());
    // Completion files are sourced, not run: no "#!" line (lintian: bash-completion-with-hashbang).
    write(
        out.resolve("bash/opdeploy"),
        AutoComplete.bash("opdeploy", model).replaceFirst("\\A#!.*\n", ""));
    write(out.resolve("zsh/_opdeploy"), new ZshCompletion(model.getCommandSpec()).render());
    write(out.resolve("fish/opdeploy.fish"), new FishCompletion(model.getCommandSpec()).render());
    gzip(out.resolve("changelog.gz"), changelog(debianVersion(version), time));
  }

  /** The version jdeb gives the package: a Maven snapshot sorts before its release ({@code ~}). */
  static String debianVersion(String mavenVersion) {
    return mavenVersion.replace("-SNAPSHOT", "~SNAPSHOT");
  }

  /** {@code project.build.outputTimestamp}: ISO 8601 or seconds since the epoch. */
  static Instant timestamp(String text) {
    return text.matches("\\d+")
        ? Instant.ofEpochSecond(Long.parseLong(text))
        : OffsetDateTime.parse(text).toInstant();
  }

  static String changelog(String debianVersion, Instant time) {
    String date =
        DateTimeFormatter.RFC_1123_DATE_TIME
            .withLocale(Locale.ROOT)
            .format(time.atOffset(ZoneOffset.UTC))
            .replace("GMT", "+0000");
    return "opdeploy ("
        + debianVersion
        + ") unstable; urgency=medium\n\n"
        + "  * Built from the opdeploy sources; see CHANGELOG.md there for changes.\n\n"
        + " -- opdeploy maintainers <opdeploy@example.org>  "
        + date
        + "\n";
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  /**
   * gzip as {@code gzip -9n} writes it: no name, time 0, and the header's "maximum compression"
   * flag, which lintian looks for ({@link java.util.zip.GZIPOutputStream} leaves it unset).
   */
  static void gzip(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    byte[] data = text.getBytes(StandardCharsets.UTF_8);
    CRC32 crc = new CRC32();
    crc.update(data);
    try (OutputStream raw = Files.newOutputStream(file)) {
      raw.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 2, 3});
      Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
      DeflaterOutputStream body = new DeflaterOutputStream(new NonClosing(raw), deflater);
      body.write(data);
      body.finish();
      body.close();
      deflater.end();
      raw.write(littleEndian((int) crc.getValue()));
      raw.write(littleEndian(data.length));
    }
  }

  private static byte[] littleEndian(int value) {
    return new byte[] {
      (byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)
    };
  }

  /** Lets the deflater finish without closing the file, which still gets the trailer. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
