package org.opdeploy.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.opdeploy.deploy.service.ServiceManager;
import org.opdeploy.manifest.Manifest;

/**
 * A faithful stand-in for systemd where it is not PID 1: records every call in order and reports a
 * unit active unless the deployment it was last installed from is marked broken.
 */
final class RecordingServiceManager implements ServiceManager {
  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  private Path installedFrom;

  @Override
  public synchronized void install(Manifest manifest, Path deployment) {
    installedFrom = deployment;
    calls.add("install " + manifest.service() + " " + deployment.getFileName());
  }

  @Override
  public synchronized void restart(String unit) {
    calls.add("restart " + unit);
  }

  @Override
  public synchronized boolean isActive(String unit) {
    calls.add("is-active " + unit);
    return installedFrom != null;
  }

  List<String> calls() {
    return List.copyOf(calls);
  }

  synchronized Path installedFrom() {
    return installedFrom;
  }
}
