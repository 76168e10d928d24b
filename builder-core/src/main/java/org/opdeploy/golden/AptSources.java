package org.opdeploy.golden;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The host's apt sources, read to pick the mirror debootstrap uses when the spec names none: a
 * build host behind a proxy or with a local mirror already says where Debian lives. Reads the
 * one-line format ({@code sources.list}, {@code sources.list.d/*.list}) and deb822 ({@code
 * sources.list.d/*.sources}).
 */
final class AptSources {
  /** One {@code deb} source: its URI and the suites it serves. */
  record Source(String uri, List<String> suites) {}

  private final Path etcApt;

  /**
   * @param etcApt the host's {@code /etc/apt} (a test passes a folder of its own)
   */
  AptSources(Path etcApt) {
    this.etcApt = etcApt;
  }

  /**
   * The mirror to bootstrap {@code suite} from: the first source that serves exactly that suite,
   * else the first that is not a security or updates archive; null when the host has none (then
   * debootstrap uses its own default).
   */
  String mirrorFor(String suite) {
    List<Source> sources = read();
    for (Source s : sources) {
      if (s.suites().contains(suite)) {
        return s.uri();
      }
    }
    for (Source s : sources) {
      boolean auxiliary =
          s.uri().contains("security")
              || s.suites().stream()
                  .allMatch(x -> x.contains("-updates") || x.contains("-security"));
      if (!auxiliary) {
        return s.uri();
      }
    }
    return null;
  }

  List<Source> read() {
    List<Source> sources = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    files.add(etcApt.resolve("sources.list"));
    Path dir = etcApt.resolve("sources.list.d");
    if (Files.isDirectory(dir)) {
      try (Stream<Path> list = Files.list(dir)) {
        list.sorted().forEach(files::add);
      } catch (IOException e) {
        // An unreadable folder leaves the remaining sources; debootstrap's default is the fallback.
      }
    }
    for (Path file : files) {
      String name = file.getFileName().toString();
      try {
        if (name.endsWith(".sources")) {
          deb822(Files.readString(file), sources);
        } else if (name.equals("sources.list") || name.endsWith(".list")) {
          oneLine(Files.readString(file), sources);
        }
      } catch (IOException e) {
        // Missing or unreadable file: nothing to learn from it.
      }
    }
    return sources;
  }

  private static void oneLine(String text, List<Source> out) {
    for (String raw : text.split("\n")) {
      String line = raw.replaceFirst("#.*", "").strip();
      // "deb [arch=amd64 signed-by=...] URI SUITE COMPONENTS..."
      line = line.replaceFirst("^(deb)\\s+\\[[^]]*]", "$1");
      String[] words = line.split("\\s+");
      if (words.length >= 3 && words[0].equals("deb") && usable(words[1])) {
        out.add(new Source(words[1], List.of(words[2])));
      }
    }
  }

  private static void deb822(String text, List<Source> out) {
    for (String stanza : text.split("\n\\s*\n")) {
      List<String> types = List.of(), uris = List.of(), suites = List.of();
      boolean enabled = true;
      for (String raw : stanza.split("\n")) {
        if (raw.startsWith("#") || !raw.contains(":")) {
          continue;
        }
        String key = raw.substring(0, raw.indexOf(':')).strip().toLowerCase(Locale.ROOT);
        List<String> values = List.of(raw.substring(raw.indexOf(':') + 1).strip().split("\\s+"));
        switch (key) {
          case "types" -> types = values;
          case "uris" -> uris = values;
          case "suites" -> suites = values;
          case "enabled" -> enabled = !values.get(0).equalsIgnoreCase("no");
          default -> {}
        }
      }
      if (enabled && types.contains("deb")) {
        for (String uri : uris) {
          if (usable(uri)) {
            out.add(new Source(uri, suites));
          }
        }
      }
    }
  }

  /**
   * debootstrap fetches over HTTP(S), FTP or from a local file: tree; cdrom: and mirror+ are not
   * for it.
   */
  private static boolean usable(String uri) {
    return uri.startsWith("http://")
        || uri.startsWith("https://")
        || uri.startsWith("ftp://")
        || uri.startsWith("file:/");
  }
}
