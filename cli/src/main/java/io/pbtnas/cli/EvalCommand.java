package io.pbtnas.cli;

import io.pbtnas.cli.local.Evaluation;
import io.pbtnas.cli.local.MachineDefaults;
import io.pbtnas.cli.local.TrainerCommand;
import io.pbtnas.core.json.Json;
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
    "Exit codes: 0 done, 1 evaluation failed, 2 bad input."})
public final class EvalCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec cmd;

    @Parameters(index = "0", paramLabel = "DIR", description = "What to evaluate.")
    Path target;

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
        Evaluation.Target t;
        try {
            t = Evaluation.locate(target);
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
                    ? "--task-args: not a JSON object: " + j.getOriginalMessage() : e.getMessage()));
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
                        r.validationAccuracy(), r.testAccuracy(), t.model());
            }
            Files.deleteIfExists(log);
            return Main.OK;
        } catch (Evaluation.BadInputException e) {
            err.println("pbtnas eval: " + e.getMessage());
            return Main.BAD_INPUT;
        } catch (IllegalStateException e) {
            err.println("pbtnas eval: " + e.getMessage());
            return Main.FAILURE;
        }
    }
}
