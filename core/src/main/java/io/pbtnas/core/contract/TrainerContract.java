package io.pbtnas.core.contract;

import io.pbtnas.core.engine.Action;
import io.pbtnas.core.engine.Seeds;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.TrainerSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The trainer contract (DESIGN.md, "Trainer"), once for every driver: the environment a trainer
 * is started with. Both drivers (operator pods, local processes, {@code pbtnas eval}) build it here
 * and nowhere else; {@link TrainerOutput} reads what the trainer leaves. An input that does not apply
 * is unset, never the empty string.
 */
public final class TrainerContract {
    /** Every contract variable's name starts with this. */
    public static final String PREFIX = "PBTNAS_";
    public static final String MODE = "PBTNAS_MODE";
    public static final String SEARCH_SPACE = "PBTNAS_SEARCH_SPACE";
    public static final String GENOME = "PBTNAS_GENOME";
    public static final String INPUT = "PBTNAS_INPUT";
    public static final String OUTPUT_DIR = "PBTNAS_OUTPUT_DIR";
    public static final String EPOCH_FROM = "PBTNAS_EPOCH_FROM";
    public static final String EPOCH_TO = "PBTNAS_EPOCH_TO";
    public static final String SEED = "PBTNAS_SEED";
    public static final String TASK = "PBTNAS_TASK";
    public static final String TASK_ARGS = "PBTNAS_TASK_ARGS";
    public static final String TERMINATION_LOG = "PBTNAS_TERMINATION_LOG";
    public static final String MEMBER = "PBTNAS_MEMBER";
    public static final String GENERATION = "PBTNAS_GENERATION";
    /** Intra-op threads a driver allots (set only by the local mode for the built-in trainer). */
    public static final String THREADS = "PBTNAS_THREADS";
    /**
     * The member's hyperparameter values for this step, a JSON object name → number; set only when the
     * search has hyperparameters (spec.searchSpace.hyperparameters).
     */
    public static final String HPARAMS = "PBTNAS_HPARAMS";

    /** Every name the contract owns: a user's trainer.env may not set them. */
    public static final Set<String> VARIABLES = Set.of(MODE, SEARCH_SPACE, GENOME, INPUT, OUTPUT_DIR, EPOCH_FROM,
            EPOCH_TO, SEED, TASK, TASK_ARGS, TERMINATION_LOG, MEMBER, GENERATION, THREADS, HPARAMS);

    /** The command-line flag equivalent to a contract variable, without "--": PBTNAS_OUTPUT_DIR → output-dir. */
    public static String flag(String variable) {
        if (!VARIABLES.contains(variable)) {
            throw new IllegalArgumentException(variable + " is not a trainer contract variable");
        }
        return variable.substring(PREFIX.length()).toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** PBTNAS_MODE: train a step, or only evaluate a checkpoint. */
    public enum Mode {
        TRAIN("train"), EVALUATE("evaluate");

        private final String value;

        Mode(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }
    }

    /**
     * One trainer run, with paths as the trainer sees them. {@code member}, {@code generation},
     * {@code genomeJson}, {@code searchSpaceJson}, {@code input} and {@code task} are null when unknown
     * or not applicable; in evaluate mode epochFrom = epochTo. {@code hparams} is empty when the search
     * has no hyperparameters (PBTNAS_HPARAMS is then unset).
     */
    public record Step(Mode mode, Integer member, Integer generation, int epochFrom, int epochTo, long seed,
                       String searchSpaceJson, String genomeJson, String input, String outputDir,
                       String task, Map<String, Object> taskArgs, String terminationLog, Map<String, Object> hparams) {
        public Step {
            if (mode == Mode.EVALUATE && epochFrom != epochTo) {
                throw new IllegalArgumentException("evaluate mode trains nothing: epochFrom " + epochFrom
                        + " must equal epochTo " + epochTo);
            }
            taskArgs = taskArgs == null ? Map.of() : taskArgs;
            hparams = hparams == null ? Map.of() : hparams;
        }
    }

    private TrainerContract() {
    }

    /**
     * The engine's training step as the trainer gets it. {@code onTrainer} maps a path relative to
     * the search root (as in the status) to the path the trainer sees; {@code terminationLog} is where
     * the driver reads the termination message.
     */
    public static Step train(SearchSpec spec, Action.Train t, UnaryOperator<String> onTrainer, String terminationLog) {
        TrainerSpec trainer = spec.trainer();
        long seed = Seeds.trainerSeed(spec.seed() == null ? SearchSpec.DEFAULT_SEED : spec.seed(), t.member(),
                t.generation());
        return new Step(Mode.TRAIN, t.member(), t.generation(), t.epochFrom(), t.epochTo(), seed,
                spec.searchSpace().toJson(), t.genome().toJson(),
                t.inputCheckpoint() == null ? null : onTrainer.apply(t.inputCheckpoint()),
                onTrainer.apply(t.outputDir()), trainer == null ? null : trainer.task(),
                trainer == null ? null : trainer.args(), terminationLog, t.hparams());
    }

    /** The environment of {@code step}: only contract variables, each set only when it has a value. */
    public static Map<String, String> environment(Step step) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(MODE, step.mode().value());
        putIfSet(env, SEARCH_SPACE, step.searchSpaceJson());
        putIfSet(env, GENOME, step.genomeJson());
        putIfSet(env, INPUT, step.input());
        putIfSet(env, OUTPUT_DIR, step.outputDir());
        env.put(EPOCH_FROM, Integer.toString(step.epochFrom()));
        env.put(EPOCH_TO, Integer.toString(step.epochTo()));
        env.put(SEED, Long.toString(step.seed()));
        putIfSet(env, TASK, step.task());
        env.put(TASK_ARGS, Json.write(step.taskArgs()));
        putIfSet(env, TERMINATION_LOG, step.terminationLog());
        putIfSet(env, MEMBER, step.member() == null ? null : Integer.toString(step.member()));
        putIfSet(env, GENERATION, step.generation() == null ? null : Integer.toString(step.generation()));
        putIfSet(env, HPARAMS, step.hparams().isEmpty() ? null : Json.write(step.hparams()));
        return env;
    }

    /**
     * Problems of a user's {@code trainer.env} ({@code field} is its path, e.g. spec.trainer.env):
     * a contract variable there would silently change what the trainer is asked to do.
     */
    public static List<String> envProblems(Map<String, String> userEnv, String field) {
        List<String> out = new ArrayList<>();
        if (userEnv == null) {
            return out;
        }
        for (String name : userEnv.keySet()) {
            if (VARIABLES.contains(name)) {
                out.add(field + "." + name + ": is set by pbtnas for every step (the trainer contract); remove it "
                        + "and use the spec field it comes from instead (e.g. trainer.task, trainer.args, seed)");
            }
        }
        return out;
    }

    private static void putIfSet(Map<String, String> env, String name, String value) {
        if (value != null && !value.isEmpty()) {
            env.put(name, value);
        }
    }
}
