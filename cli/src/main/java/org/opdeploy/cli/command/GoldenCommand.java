package org.opdeploy.cli.command;

import java.util.LinkedHashMap;
import java.util.Map;
import org.opdeploy.build.BuildAgent;
import org.opdeploy.cli.context.CommandContext;
import org.opdeploy.cli.context.ContextCommand;
import org.opdeploy.container.Container;
import org.opdeploy.error.OpdeployException;
import org.opdeploy.golden.GoldenSpec;
import org.opdeploy.golden.RefreshOptions;
import org.opdeploy.golden.RefreshResult;
import org.opdeploy.golden.ValidationReport;
import org.opdeploy.snapshot.PoolLayout;
import org.opdeploy.version.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code opdeploy golden refresh|validate}. */
@Command(
    name = "golden",
    mixinStandardHelpOptions = true,
    description = "Work on the golden subvolume.",
    footer = {
      "",
      "Example: OPDBUS_BIN=target/release/op-dbus \\",
      "           opdeploy golden refresh --runner nspawn"
    },
    subcommands = {GoldenCommand.Refresh.class, GoldenCommand.Validate.class})
public final class GoldenCommand {

  /** The container runner option both subcommands take. */
  static final class RunnerOption {
    @Option(
        names = "--runner",
        paramLabel = "auto|nspawn|chroot",
        defaultValue = "auto",
        description = "Where steps run: systemd-nspawn, chroot, or auto (nspawn when it works).")
    String runner;

    Container create(CommandContext context) throws OpdeployException {
      return context.buildAgent().container(runner);
    }
  }

  /** Creates the golden from the base when missing, then overlays, installs and provisions it. */
  @Command(
      name = "refresh",
      mixinStandardHelpOptions = true,
      description =
          "Create the golden from its base when missing, copy the rootfs overlay, install "
              + "the payload and run every step inside it.",
      footer = {
        "",
        "Example: OPDBUS_BIN=target/release/op-dbus \\",
        "           opdeploy golden refresh --runner nspawn"
      })
  public static final class Refresh extends ContextCommand {
    @picocli.CommandLine.Mixin RunnerOption runner;

    @Option(
        names = "--for-version",
        paramLabel = "VERSION",
        description = "Export OPDEPLOY_VERSION=VERSION to the steps.")
    String forVersion;

    @Override
    protected void execute(CommandContext context) throws OpdeployException {
      Version version = forVersion == null ? null : Version.parse(forVersion);
      GoldenSpec spec = context.goldenSpec();
      BuildAgent agent = context.buildAgent();
      PoolLayout pool = agent.pool();
      Container container = runner.create(context);
      if (context.dryRun()) {
        agent.requirePool("golden refresh");
        boolean exists = agent.goldenExists();
        context
            .console()
            .dryRun(
                "golden refresh",
                "would "
                    + (exists
                        ? "refresh "
                        : "create from " + spec.base().describe() + " and refresh ")
                    + pool.golden()
                    + " with "
                    + spec.steps().size()
                    + " step(s) in "
                    + container.name(),
                Map.of("golden", pool.golden().toString()));
        return;
      }
      RefreshResult result =
          agent.refreshGolden(
              spec, container, new RefreshOptions(context.settings().stepTimeout(), version));
      context
          .console()
          .result(
              "refreshed "
                  + result.golden()
                  + (result.created() ? " (created from " + result.base() + ")" : "")
                  + ": "
                  + result.filesChanged()
                  + " file(s) changed, "
                  + result.steps().size()
                  + " step(s) in "
                  + result.runner()
                  + ", "
                  + result.elapsed().toMillis()
                  + " ms");
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("golden", result.golden().toString());
      doc.put("created", result.created());
      doc.put("base", result.base());
      doc.put("runner", result.runner());
      doc.put("files_changed", result.filesChanged());
      doc.put(
          "steps",
          result.steps().stream()
              .map(s -> Map.of("step", s.step(), "millis", s.elapsed().toMillis()))
              .toList());
      doc.put("millis", result.elapsed().toMillis());
      context.console().document("golden refresh", doc);
    }
  }

  /** Runs the spec's checks against the golden and reports each. */
  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      description =
          "Run the spec's checks (files, commands) against the golden; exit 1 if any fails.",
      footer = {"", "Example: OPDBUS_BIN=target/release/op-dbus opdeploy golden validate"})
  public static final class Validate extends ContextCommand {
    @picocli.CommandLine.Mixin RunnerOption runner;

    @Override
    protected void execute(CommandContext context) throws OpdeployException {
      GoldenSpec spec = context.goldenSpec();
      context.requirePool("golden validate");
      ValidationReport report = context.buildAgent().validateGolden(spec, runner.create(context));
      for (ValidationReport.Check check : report.checks()) {
        context
            .console()
            .result(
                (check.passed() ? "pass " : "FAIL ")
                    + check.kind()
                    + " "
                    + check.subject()
                    + (check.detail() == null || check.detail().isEmpty()
                        ? ""
                        : "  (" + check.detail() + ")"));
      }
      context
          .console()
          .document(
              "golden validate",
              Map.of(
                  "golden",
                  report.golden().toString(),
                  "passed",
                  report.passed(),
                  "checks",
                  report.checks()));
      report.requirePassed();
    }
  }
}
