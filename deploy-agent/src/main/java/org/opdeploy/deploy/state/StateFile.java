package org.opdeploy.deploy.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.opdeploy.error.OpdeployException;

/**
 * Reads and writes {@code state.json}. A write never leaves a torn file ({@link DurableFile}): it
 * goes to a temporary file that is synced, renamed over the old one, and the folder is synced so
 * the rename survives a power cut.
 */
public final class StateFile {
  static final ObjectMapper JSON =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .serializationInclusion(JsonInclude.Include.ALWAYS)
          .build();

  private final Path file;
  private final Clock clock;

  public StateFile(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
  }

  public StateFile(Path file) {
    this(file, Clock.systemUTC());
  }

  public Path file() {
    return file;
  }

  /** The stored state, or {@link TargetState#empty()} on a target nothing was installed on. */
  public TargetState read() throws OpdeployException {
    if (!Files.exists(file)) {
      return TargetState.empty();
    }
    try {
      return JSON.readValue(file.toFile(), TargetState.class);
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot read "
              + file
              + ": "
              + e.getMessage()
              + "; fix or remove it (deployments stay in place, state is rebuilt on the next activate)",
          e);
    }
  }

  /** Replaces the state atomically and durably. */
  public TargetState write(TargetState state) throws OpdeployException {
    TargetState stamped = state.stamped(clock.instant());
    try {
      DurableFile.write(file, JSON.writeValueAsBytes(stamped));
      return stamped;
    } catch (IOException e) {
      throw new OpdeployException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
