package io.pbtnas.cli;

import io.pbtnas.cli.steps.FileTrees;
import io.pbtnas.core.contract.TrainerOutput;
import io.pbtnas.core.space.Genome;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * `pbtnas verify`: the check a trainer's outputs must pass before its score counts (the operator runs
 * it in each member pod after the trainer; the local mode runs the same check in-process). With
 * {@code --prune}, it then deletes step folders the search no longer needs: the member pod's volume
 * mount is where storage.keepGenerations is applied on a cluster.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, description = {
    "Check a training step's outputs: metrics.json has a finite score, model.safetensors parses and carries "
        + "the genome and epoch the step was given.",
    "Exit codes: 0 the outputs are valid, 1 a check failed (named in the message), 2 bad input."})
public final class VerifyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The step's output directory.")
    Path dir;

    @Option(names = "--genome", required = true, paramLabel = "JSON", description = "The genome the step was given.")
    String genome;

    @Option(names = "--epoch", required = true, paramLabel = "N", description = "PBTNAS_EPOCH_TO of the step.")
    int epoch;

    @Option(names = "--prune", paramLabel = "DIR",
            description = "After the check, delete this step folder (repeatable; each a members/<m>/gen-<g> folder "
                    + "the search no longer needs, storage.keepGenerations). A folder that cannot go is reported, "
                    + "never a failed step.")
    List<Path> prune = new ArrayList<>();

    @Option(names = "--termination-log", paramLabel = "FILE",
            description = "Where the failure message also goes (a pod's termination message).")
    Path terminationLog;

    @Override
    public Integer call() throws IOException {
        int code = check();
        for (Path folder : prune) {
            String problem = Pruning.problem(folder);
            if (problem != null) {
                spec.commandLine().getErr().println("pbtnas verify: --prune " + folder + ": " + problem);
                continue;
            }
            try {
                if (FileTrees.delete(folder)) {
                    spec.commandLine().getOut().println("pbtnas verify: pruned " + folder);
                }
            } catch (IOException e) {
                spec.commandLine().getErr().println("pbtnas verify: --prune " + folder + ": " + e.getMessage());
            }
        }
        return code;
    }

    private int check() throws IOException {
        Genome expected;
        try {
            expected = Genome.fromJson(genome);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("pbtnas verify: --genome: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        try {
            TrainerOutput.Verified v = TrainerOutput.verify(dir, expected, epoch);
            spec.commandLine().getOut().println("pbtnas verify: " + v.model() + " and " + v.metrics() + " are valid "
                    + "(score " + v.score() + ")");
            return Main.OK;
        } catch (IllegalArgumentException e) {
            String message = "the trainer exited 0 but its " + e.getMessage();
            spec.commandLine().getErr().println(message);
            if (terminationLog != null) {
                Files.writeString(terminationLog, message);
            }
            return Main.FAILURE;
        }
    }

    /** Only step folders are ever deleted: a wrong argument must not remove anything else. */
    static final class Pruning {
        private static final java.util.regex.Pattern STEP = java.util.regex.Pattern.compile(".*/members/\\d+/gen-\\d+");

        static String problem(Path folder) {
            String p = folder.toAbsolutePath().normalize().toString().replace('\\', '/');
            return STEP.matcher(p).matches() ? null : "not a members/<m>/gen-<g> folder; nothing deleted";
        }
    }
}
