package io.pbtnas.cli;

import io.pbtnas.cli.local.Evaluation;
import io.pbtnas.cli.local.MachineDefaults;
import io.pbtnas.cli.local.TrainerCommand;
import io.pbtnas.cli.local.WorkDir;
import io.pbtnas.cli.storage.LazyS3;
import io.pbtnas.cli.storage.LocalCopy;
import io.pbtnas.cli.storage.Location;
import io.pbtnas.cli.storage.S3Location;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.layout.CheckpointLayout;
import io.pbtnas.trainer.TrainerJvm;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** `pbtnas eval DIR`: the accuracy of a trained network, without retraining it. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = {
    "Evaluate a trained network (an exported best/ folder, a members/<m>/gen-<g>/ folder or a .safetensors file) "
        + "with the trainer's evaluate mode: prints validation and test accuracy.",
    "The task settings it was scored with come from best/task.json (or the work directory's search.json), so the "
        + "validation accuracy reproduces the score the search reported.",
    "DIR may be an s3://bucket/key location (an exported best/ prefix, a members/<m>/gen-<g>/ prefix or a "
        + ".safetensors object): it is downloaded to a temporary folder first, with the standard AWS environment "
        + "(AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE).",
    "Exit codes: 0 done, 1 evaluation failed, 2 bad input."})
public final class EvalCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec cmd;

    @Parameters(index = "0", paramLabel = "DIR", description = "What to evaluate: a path or s3://bucket/key.")
    String target;

    @Option(names = "--task-args", paramLabel = "JSON",
            description = "Override task arguments, e.g. '{\"testSubset\":0}' to use the whole test set.")
    String taskArgs;

    @Option(names = "--trainer-command", paramLabel = "CMD",
            description = "A contract-honouring trainer to evaluate with instead of the built-in one.")
    String trainerCommand;

    @Option(names = "--trainer-java-opts", paramLabel = "OPTS", defaultValue = TrainerJvm.LOCAL_EVAL,
            description = "JVM options of the built-in trainer. Default: ${DEFAULT-VALUE}.")
    String trainerJavaOpts;

    @Option(names = "--json", description = "Print the trainer's metrics as one JSON object.")
    boolean json;

    @Override
    public Integer call() throws IOException, InterruptedException {
        var out = cmd.commandLine().getOut();
        var err = cmd.commandLine().getErr();
        Location where;
        try {
            where = Location.parse(target);
        } catch (IllegalArgumentException e) {
            err.println("pbtnas eval: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        try (LazyS3 s3 = new LazyS3(); LocalCopy copy = copy(where, s3, err)) {
            return copy == null ? Main.FAILURE : evaluate(copy, out, err);
        } catch (IllegalArgumentException e) {
            err.println("pbtnas eval: " + e.getMessage());
            return Main.BAD_INPUT;
        }
    }

    /** The location as local files; null (after saying why) when the bucket cannot be read. */
    private static LocalCopy copy(Location where, LazyS3 s3, java.io.PrintWriter err) {
        try {
            // a member's folder needs the search's record (task settings) and which attempt counts
            return where instanceof S3Location ? LocalCopy.of(where, s3.get(), WorkDir.SEARCH, WorkDir.STATUS,
                    CheckpointLayout.HISTORY) : LocalCopy.of(where, null);
        } catch (IOException e) {
            err.println("pbtnas eval: " + e.getMessage());
            return null;
        }
    }

    private int evaluate(LocalCopy copy, java.io.PrintWriter out, java.io.PrintWriter err)
            throws IOException, InterruptedException {
        Evaluation.Target t;
        try {
            t = Evaluation.locate(copy.path());
            if (taskArgs != null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> extra = Json.MAPPER.readValue(taskArgs, Map.class);
                if (extra == null) {
                    throw new IllegalArgumentException("--task-args: not a JSON object: null");
                }
                t.taskArgs().putAll(extra);
            }
        } catch (IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException e) {
            err.println("pbtnas eval: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                    ? "--task-args: not a JSON object: " + j.getOriginalMessage() : copy.named(e.getMessage())));
            return Main.BAD_INPUT;
        }
        TrainerCommand trainer = trainerCommand != null ? TrainerCommand.custom(trainerCommand)
                : TrainerCommand.builtIn(trainerJavaOpts);
        Path log = Files.createTempFile("pbtnas-eval-", ".log");
        try {
            Evaluation.Result r = Evaluation.run(t, trainer, MachineDefaults.cores(), log);
            if (json) {
                out.println(Json.write(r.metrics()));
            } else {
                out.printf(Locale.ROOT, "validation accuracy %.4f, test accuracy %.4f  (%s)%n",
                        r.validationAccuracy(), r.testAccuracy(),
                        S3Location.isS3(target) ? target : t.model());
            }
            Files.deleteIfExists(log);
            return Main.OK;
        } catch (Evaluation.BadInputException e) {
            err.println("pbtnas eval: " + copy.named(e.getMessage()));
            return Main.BAD_INPUT;
        } catch (IllegalStateException e) {
            err.println("pbtnas eval: " + copy.named(e.getMessage()));
            return Main.FAILURE;
        }
    }
}
