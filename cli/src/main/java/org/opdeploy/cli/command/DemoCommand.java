package org.opdeploy.cli.command;

import java.time.Duration;
import org.opdeploy.cli.context.CommandContext;
import org.opdeploy.cli.context.ContextCommand;
import org.opdeploy.cli.demo.DemoReport;
import org.opdeploy.cli.demo.DemoRun;
import org.opdeploy.error.OpdeployException;
import picocli.CommandLine.Command;

/** {@code opdeploy demo}: the whole flow on throw-away loop-backed btrfs images. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Run the whole flow end to end on loop-backed btrfs images it creates and removes: "
            + "build and sign v1.0.0 and v1.1.0 of a stand-in golden into a dir: store, then prepare a "
            + "target, deploy v1.0.0, upgrade to v1.1.0 through the incremental stream and roll back.",
    footer = {"", "Example: sudo ./opdeploy demo"})
public final class DemoCommand extends ContextCommand {
  @Override
  protected void execute(CommandContext context) throws OpdeployException {
    long start = System.nanoTime();
    DemoReport report = DemoRun.run(context.runner(), context.env(), context.progress());
    Duration total = Duration.ofNanos(System.nanoTime() - start);
    report.lines(total).forEach(context.console()::result);
    context.console().result("  cleanup: loop devices detached, mounts removed, images deleted");
    var doc = report.fields();
    doc.put("total_ms", total.toMillis());
    context.console().document("demo", doc);
  }
}
