package org.opdeploy.cli.actions;

import org.opdeploy.progress.ProgressEvent;
import org.opdeploy.progress.ProgressListener;

/** Wraps each pipeline step in an Actions log group around the terminal or plain renderer. */
public final class ActionsProgress implements ProgressListener {
  private final ProgressListener delegate;
  private final GitHubActions actions;

  public ActionsProgress(ProgressListener delegate, GitHubActions actions) {
    this.delegate = delegate;
    this.actions = actions;
  }

  @Override
  public void progress(ProgressEvent event) {
    delegate.progress(event);
  }

  @Override
  public void stepStarted(String name) {
    actions.group(name);
    delegate.stepStarted(name);
  }

  @Override
  public void stepFinished(String name) {
    delegate.stepFinished(name);
    actions.endGroup(name);
  }

  @Override
  public void info(String line) {
    delegate.info(line);
  }

  @Override
  public void warn(String line) {
    delegate.warn(line);
  }
}
