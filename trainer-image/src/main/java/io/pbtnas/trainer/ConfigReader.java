package io.pbtnas.trainer;

import io.pbtnas.core.contract.TrainerContract;

import io.pbtnas.core.space.Genome;
import io.pbtnas.core.space.SearchSpace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves a {@link TrainerConfig} from the contract's environment variables and the equivalent flags
 * ({@code --output-dir x} or {@code --output-dir=x} for {@code PBTNAS_OUTPUT_DIR}); flags win.
 * JSON-valued inputs may also be given as {@code @file}.
 */
public final class ConfigReader {
    public static final Path DEFAULT_TERMINATION_LOG = Path.of("/dev/termination-log");
    public static final String TASK = "fashion-mnist";

    /** The inputs: flag name (without --) → environment variable. */
    static final Map<String, String> INPUTS = new LinkedHashMap<>();

    /** The contract's names are TrainerContract's; PBTNAS_MEMBER and PBTNAS_GENERATION are for logs only. */
    static {
        for (String variable : List.of(TrainerContract.SEARCH_SPACE, TrainerContract.GENOME, TrainerContract.INPUT,
                TrainerContract.OUTPUT_DIR, TrainerContract.EPOCH_FROM, TrainerContract.EPOCH_TO, TrainerContract.SEED,
                TrainerContract.TASK, TrainerContract.TASK_ARGS, TrainerContract.TERMINATION_LOG, TrainerContract.MODE,
                TrainerContract.THREADS, TrainerContract.HPARAMS)) {
            INPUTS.put(TrainerContract.flag(variable), variable);
        }
    }

    private ConfigReader() {
    }

    /** True when the arguments ask for the usage text. */
    public static boolean wantsHelp(String[] args) {
        return List.of(args).contains("--help") || List.of(args).contains("-h");
    }

    public static TrainerConfig read(String[] args, Map<String, String> env) {
        Map<String, String> in = merge(args, env);
        Mode mode = switch (in.getOrDefault("mode", "train").toLowerCase(Locale.ROOT)) {
            case "train" -> Mode.TRAIN;
            case "evaluate", "eval" -> Mode.EVALUATE;
            default -> throw new BadInputException(source("mode") + ": '" + in.get("mode")
                    + "' is not a mode; use train or evaluate");
        };
        Optional<SearchSpace> space = in.containsKey("search-space")
                ? Optional.of(parse(() -> SearchSpace.fromJson(json(in, "search-space")), "search-space"))
                : Optional.empty();
        Optional<Genome> genome = in.containsKey("genome")
                ? Optional.of(parse(() -> Genome.fromJson(json(in, "genome")), "genome"))
                : Optional.empty();
        if (genome.isEmpty() && mode == Mode.TRAIN) {
            throw new BadInputException(source("genome") + " is required: a JSON object gene → op, e.g. "
                    + BuiltinSearchSpace.defaultGenome(2).toJson());
        }
        Optional<Path> input = Optional.ofNullable(in.get("input")).filter(s -> !s.isBlank()).map(Path::of);
        if (mode == Mode.EVALUATE && input.isEmpty()) {
            throw new BadInputException("evaluate mode needs a checkpoint: set " + source("input"));
        }
        Optional<Path> outputDir = Optional.ofNullable(in.get("output-dir")).filter(s -> !s.isBlank()).map(Path::of);
        if (mode == Mode.TRAIN && outputDir.isEmpty()) {
            throw new BadInputException(source("output-dir") + " is required: the directory for model.safetensors "
                    + "and metrics.json");
        }
        int epochFrom = integer(in, "epoch-from", 0);
        int epochTo = integer(in, "epoch-to", epochFrom + 1);
        if (epochFrom < 0 || (mode == Mode.TRAIN && epochTo <= epochFrom)) {
            throw new BadInputException("epochs [" + epochFrom + ", " + epochTo + ") are not a range to train: need 0 <= "
                    + source("epoch-from") + " < " + source("epoch-to"));
        }
        long seed = Long.parseLong(checkedNumber(in, "seed", "0"));
        String task = in.getOrDefault("task", TASK);
        if (!TASK.equals(task)) {
            throw new BadInputException(source("task") + ": unknown task '" + task + "'; this trainer has '" + TASK
                    + "'");
        }
        String taskArgsJson = in.containsKey("task-args") ? json(in, "task-args") : null;
        Hyperparameters hparams = mode == Mode.TRAIN && in.containsKey("hparams")
                ? Hyperparameters.parse(json(in, "hparams"), source("hparams")) : Hyperparameters.NONE;
        TaskArgs taskArgs = hparams.over(TaskArgs.parse(taskArgsJson, "taskArgs"), taskArgsJson, source("hparams"));
        int threads = in.containsKey("threads") ? integer(in, "threads", 0)
                : taskArgs.threads() > 0 ? taskArgs.threads() : Runtime.getRuntime().availableProcessors();
        if (threads < 1) {
            throw new BadInputException(source("threads") + ": " + threads + " threads; use 1 or more");
        }
        boolean logSet = in.containsKey("termination-log") && !in.get("termination-log").isBlank();
        Path log = logSet ? Path.of(in.get("termination-log")) : DEFAULT_TERMINATION_LOG;
        return new TrainerConfig(mode, space, genome, input, outputDir, epochFrom, mode == Mode.TRAIN ? epochTo : epochFrom,
                seed, task, taskArgs, log, logSet, threads, hparams);
    }

    /** Environment first, then flags over it. Unknown flags are errors. */
    private static Map<String, String> merge(String[] args, Map<String, String> env) {
        Map<String, String> in = new LinkedHashMap<>();
        INPUTS.forEach((flag, var) -> {
            String v = env.get(var);
            if (v != null) {
                in.put(flag, v);
            }
        });
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--evaluate")) {
                in.put("mode", "evaluate");
                continue;
            }
            if (!a.startsWith("--")) {
                throw new BadInputException("unexpected argument '" + a + "'; flags look like --output-dir DIR "
                        + "(see --help)");
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new BadInputException("flag --" + name + " needs a value");
            }
            if (!INPUTS.containsKey(name)) {
                throw new BadInputException("unknown flag --" + name + "; known: --" + String.join(", --", INPUTS.keySet())
                        + ", --evaluate, --help");
            }
            in.put(name, value);
        }
        return in;
    }

    static String source(String flag) {
        return INPUTS.get(flag) + " (--" + flag + ")";
    }

    /** The JSON text of an input, read from a file when given as {@code @path}. */
    private static String json(Map<String, String> in, String flag) {
        String v = in.get(flag);
        if (v.startsWith("@")) {
            Path p = Path.of(v.substring(1));
            try {
                return Files.readString(p);
            } catch (IOException e) {
                throw new BadInputException(source(flag) + ": cannot read " + p + " (" + e.getMessage() + ")");
            }
        }
        return v;
    }

    private static <T> T parse(java.util.function.Supplier<T> parser, String flag) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new BadInputException(source(flag) + ": " + e.getMessage(), e);
        }
    }

    private static int integer(Map<String, String> in, String flag, int fallback) {
        long v = Long.parseLong(checkedNumber(in, flag, Integer.toString(fallback)));
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new BadInputException(source(flag) + ": " + v + " is out of range");
        }
        return (int) v;
    }

    private static String checkedNumber(Map<String, String> in, String flag, String fallback) {
        String v = in.getOrDefault(flag, fallback).trim();
        if (!v.matches("-?\\d{1,18}")) {
            throw new BadInputException(source(flag) + ": '" + v + "' is not an integer");
        }
        return v;
    }
}
