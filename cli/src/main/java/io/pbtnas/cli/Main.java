package io.pbtnas.cli;

import io.pbtnas.cli.validate.ValidateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The `pbtnas` command: run a search locally; the steps of the operator's pods (stage, mix, verify, export,
 * cleanup); evaluate a network; validate manifests.
 */
@Command(name = "pbtnas", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "PBT-NAS: neural architecture search by Population Based Training with shrink-perturb "
                + "weight inheritance. The same PbtNasSearch manifest runs on a cluster (kubectl apply) or here.",
        subcommands = {RunCommand.class, StageCommand.class, MixCommand.class, VerifyCommand.class, ExportCommand.class,
            CleanupCommand.class, EvalCommand.class, ReportCommand.class, ValidateCommand.class,
            VersionCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit codes shared by every subcommand. */
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int BAD_INPUT = 2;
    public static final int INTERRUPTED = 130;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** True in the real command (not when tests call {@link #execute}): only then are signals taken over. */
    static volatile boolean standalone;

    public static void main(String[] args) {
        standalone = true;
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (tests call this instead of main). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        // '@FILE' is a value (mix --plan, export --status), not picocli's argument file.
        cl.setExpandAtFiles(false);
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("pbtnas: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help'.");
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            c.getErr().println("pbtnas: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            return FAILURE;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
