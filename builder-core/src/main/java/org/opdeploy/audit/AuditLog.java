package org.opdeploy.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.error.VerificationException;
import org.opdeploy.hash.Sha256;
import org.opdeploy.version.Version;

/**
 * An append-only log of JSON lines in which every entry carries the SHA-256 of the line before it,
 * so that an edited, removed or reordered line breaks the chain. Callers append while holding the
 * pool or target lock.
 */
public final class AuditLog {
  public static final String GENESIS = "0".repeat(64);
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();

  private final Path file;
  private final Clock clock;
  private final Operator operator;

  /** A log whose entries name {@code operator} as who ran each command. */
  public AuditLog(Path file, Clock clock, Operator operator) {
    this.file = file;
    this.clock = clock;
    this.operator = operator;
  }

  /** A log whose entries name this process's operator ({@link Operator#current()}). */
  public AuditLog(Path file, Clock clock) {
    this(file, clock, Operator.current());
  }

  public AuditLog(Path file) {
    this(file, Clock.systemUTC());
  }

  public Path file() {
    return file;
  }

  /**
   * Appends one entry chained to the current last line, and syncs it to disk. The operator's
   * details (sudo) are added to {@code details}.
   */
  public AuditEntry append(
      String command, Version version, String result, Map<String, String> details)
      throws OpdeployException {
    try {
      Files.createDirectories(file.getParent());
      String previous = GENESIS;
      if (Files.exists(file)) {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (!lines.isEmpty()) {
          previous = sha256(lines.get(lines.size() - 1));
        }
      }
      Map<String, String> all = new HashMap<>(details);
      operator.details().forEach(all::putIfAbsent);
      AuditEntry entry =
          new AuditEntry(clock.instant(), operator.user(), command, version, result, all, previous);
      byte[] line = (JSON.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8);
      try (FileChannel channel =
          FileChannel.open(
              file,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND)) {
        channel.write(ByteBuffer.wrap(line));
        channel.force(false);
      }
      return entry;
    } catch (IOException e) {
      throw new OpdeployException("cannot write audit log " + file + ": " + e.getMessage(), e);
    }
  }

  /** Checks the whole chain; returns the number of entries, or fails naming the first bad line. */
  public int verify() throws OpdeployException {
    if (!Files.exists(file)) {
      return 0;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new OpdeployException("cannot read audit log " + file + ": " + e.getMessage(), e);
    }
    String expected = GENESIS;
    for (int i = 0; i < lines.size(); i++) {
      // Only the chain is checked: a line written by an older opdeploy (a version field of
      // "nightly") still verifies.
      JsonNode entry;
      try {
        entry = JSON.readTree(lines.get(i));
      } catch (IOException e) {
        entry = null;
      }
      if (entry == null || !entry.isObject() || !entry.path("previous").isTextual()) {
        throw new VerificationException(file + " line " + (i + 1) + " is not an audit entry");
      }
      if (!expected.equals(entry.get("previous").asText())) {
        throw new VerificationException(
            file
                + " line "
                + (i + 1)
                + " does not chain to the line before it: the log was edited, truncated or reordered");
      }
      expected = sha256(lines.get(i));
    }
    return lines.size();
  }

  static String sha256(String line) {
    return Sha256.of(line);
  }
}
