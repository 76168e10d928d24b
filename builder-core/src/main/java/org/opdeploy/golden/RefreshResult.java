package org.opdeploy.golden;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a refresh did.
 *
 * @param golden the golden subvolume
 * @param created true when this refresh created it from the base
 * @param base the base it was created from ({@link BaseSpec#describe()}), or null when it existed
 * @param runner the container that ran the steps ({@code nspawn} or {@code chroot}; {@code none}
 *     when there were no steps)
 * @param filesChanged overlay and payload files written (unchanged ones are left alone)
 * @param steps each step run, in order
 * @param elapsed the whole refresh
 */
public record RefreshResult(
    Path golden,
    boolean created,
    String base,
    String runner,
    int filesChanged,
    List<StepRun> steps,
    Duration elapsed) {

  public RefreshResult {
    steps = List.copyOf(steps);
  }

  /** One provisioning step that ran and succeeded. */
  public record StepRun(String step, Duration elapsed) {}
}
