package org.opdeploy.cli.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opdeploy.version.Version;

/**
 * Where commands speak. Human text goes to stdout unless {@code --json}, in which case stdout
 * carries exactly one JSON document (the result, or the error) and everything else goes to stderr.
 */
public final class Console {
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .addModule(
              new SimpleModule("opdeploy")
                  // Versions and paths as users write them, not as their record fields or file:
                  // URIs.
                  .addSerializer(Version.class, new ToStringSerializer(Version.class))
                  .addSerializer(Path.class, new ToStringSerializer(Path.class)))
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  private final PrintStream out;
  private final PrintStream err;
  private final boolean json;
  private final boolean quiet;
  private final boolean verbose;
  private boolean documentWritten;

  public Console(PrintStream out, PrintStream err, boolean json, boolean quiet, boolean verbose) {
    this.out = out;
    this.err = err;
    this.json = json;
    this.quiet = quiet;
    this.verbose = verbose;
  }

  public boolean json() {
    return json;
  }

  public boolean quiet() {
    return quiet;
  }

  public boolean verbose() {
    return verbose;
  }

  /** A line of human output: stdout normally, stderr under --json, nothing under -q. */
  public void line(String text) {
    if (!quiet) {
      (json ? err : out).println(text);
    }
  }

  /** Detail shown with -v only. */
  public void detail(String text) {
    if (verbose) {
      err.println(text);
    }
  }

  /** A warning, always on stderr. */
  public void warn(String text) {
    err.println("opdeploy: warning: " + text);
  }

  /** The stream for progress bars and notes that must never mix with results. */
  public PrintStream diagnostics() {
    return err;
  }

  /** The human result text: printed even under -q, but not under --json. */
  public void result(String text) {
    if (!json) {
      out.println(text);
    }
  }

  /**
   * The command's JSON result: {@code {"ok": true, "command": …, …fields of result}}, where {@code
   * result} is a record or map whose fields are written in order, in snake_case.
   */
  @SuppressWarnings("unchecked")
  public void document(String command, Object result) {
    if (!json || documentWritten) {
      return;
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("ok", true);
    doc.put("command", command);
    doc.putAll(JSON.convertValue(result, LinkedHashMap.class));
    write(doc);
  }

  /**
   * What {@code --dry-run} would do: {@code wouldDo} as the result line, or the JSON document with
   * {@code "dry_run": true} followed by {@code fields}.
   */
  public void dryRun(String command, String wouldDo, Map<String, ?> fields) {
    result(wouldDo);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("dry_run", true);
    doc.putAll(fields);
    document(command, doc);
  }

  /** The error as the one JSON document, or as one line on stderr. */
  public void error(String message, int exitCode) {
    if (json && !documentWritten) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("ok", false);
      doc.put("error", message);
      doc.put("exit_code", exitCode);
      write(doc);
    }
    err.println("opdeploy: error: " + message);
  }

  private void write(Object document) {
    try {
      out.println(JSON.writeValueAsString(document));
      out.flush();
      documentWritten = true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
