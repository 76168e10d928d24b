package org.opdeploy.deploy.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.opdeploy.error.OpdeployException;

/**
 * {@code <root>/switch.json}: the intent of the switch in progress ({@link SwitchIntent}). It is
 * written (synced, renamed, folder synced) before {@code current}, a mount or {@code state.json} is
 * touched, and deleted once the switch is over. Callers hold the target lock; {@code status} only
 * reads it.
 */
public final class SwitchJournal {
  private final Path file;

  public SwitchJournal(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /** The intent of an unfinished switch, if any. */
  public Optional<SwitchIntent> read() throws OpdeployException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(StateFile.JSON.readValue(file.toFile(), SwitchIntent.class));
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot read "
              + file
              + ": "
              + e.getMessage()
              + "; it records an interrupted switch: compare it with state.json and `current`, then remove it",
          e);
    }
  }

  /** Records {@code intent} durably: from now on the switch is either completed or undone. */
  public void begin(SwitchIntent intent) throws OpdeployException {
    try {
      DurableFile.write(file, StateFile.JSON.writeValueAsBytes(intent));
    } catch (IOException e) {
      throw new OpdeployException(
          "cannot write " + file + ": " + e.getMessage() + "; nothing was switched", e);
    }
  }

  /**
   * The switch is over: completed or undone. The removal is not synced: should a power cut bring
   * the intent back, the next run finds the switch committed (or undone) and repeats that, which
   * changes nothing; so a switch pays for one sync of the folder fewer. The next {@code state.json}
   * write syncs the same folder, and with it the removal, before the state can differ.
   */
  public void clear() throws OpdeployException {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new OpdeployException("cannot remove " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The temporary files a killed write can leave: {@code state.json.tmp} and {@code
   * switch.json.tmp}.
   */
  public static Path temporaryOf(Path file) {
    return DurableFile.temporary(file);
  }
}
