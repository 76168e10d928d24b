package org.opdeploy.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.opdeploy.error.BadInputException;

/** Reads and writes manifests as pretty, snake_case JSON with UTC ISO-8601 times. */
public final class ManifestCodec {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .serializationInclusion(JsonInclude.Include.ALWAYS)
          .build();

  private ManifestCodec() {}

  public static byte[] encode(Manifest manifest) {
    try {
      return (MAPPER.writeValueAsString(manifest) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("manifest cannot be serialised", e);
    }
  }

  /** Parses a manifest; {@code origin} names the file in the error. */
  public static Manifest decode(byte[] json, String origin) throws BadInputException {
    Manifest manifest;
    try {
      manifest = MAPPER.readValue(json, Manifest.class);
    } catch (IOException e) {
      throw new BadInputException(
          origin + " is not a valid manifest: " + firstLine(e.getMessage()));
    }
    if (manifest.format() != Manifest.FORMAT) {
      throw new BadInputException(
          origin
              + " has manifest format "
              + manifest.format()
              + "; this opdeploy reads format "
              + Manifest.FORMAT);
    }
    if (manifest.name() == null || manifest.version() == null || manifest.streams() == null) {
      throw new BadInputException(origin + " is missing name, version or streams");
    }
    return manifest;
  }

  private static String firstLine(String text) {
    return text == null ? "" : text.lines().findFirst().orElse("");
  }
}
