package io.pbtnas.trainer;

import io.pbtnas.core.space.Genome;
import io.pbtnas.trainer.data.DataSplits;
import io.pbtnas.trainer.data.FashionMnist;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small real-data runs of the trainer in this JVM (one thread, so results are reproducible). */
public final class TestSupport {
    /** Every op once, plus conv3x3: exercises all layer kinds. */
    public static final Genome MIXED = new Genome(new LinkedHashMap<>(Map.of(
            "cell0", "sepconv3x3", "cell1", "maxpool", "cell2", "dilconv3x3",
            "cell3", "conv5x5", "cell4", "skip", "cell5", "conv3x3")));
    public static final String SMALL_ARGS = "{\"trainSubset\":256,\"validationSubset\":200,\"testSubset\":200,"
            + "\"batchSize\":32,\"width\":4,\"threads\":1,\"progressEvery\":4,\"learningRate\":0.01}";
    private static DataSplits small;

    private TestSupport() {
    }

    public static synchronized DataSplits smallData() {
        if (small == null) {
            small = FashionMnist.load(FashionMnist.DEBIAN_DIR, 1024, 200, 200);
        }
        return small;
    }

    /** The contract's environment for a small training run into {@code out}. */
    public static Map<String, String> env(Path out, Genome genome, int from, int to, Path input) {
        Map<String, String> env = new HashMap<>();
        env.put("PBTNAS_GENOME", genome.toJson());
        env.put("PBTNAS_OUTPUT_DIR", out.toString());
        env.put("PBTNAS_EPOCH_FROM", Integer.toString(from));
        env.put("PBTNAS_EPOCH_TO", Integer.toString(to));
        env.put("PBTNAS_SEED", "11");
        env.put("PBTNAS_TASK", "fashion-mnist");
        env.put("PBTNAS_TASK_ARGS", SMALL_ARGS);
        env.put("PBTNAS_TERMINATION_LOG", out.resolveSibling(out.getFileName() + ".termination-log").toString());
        if (input != null) {
            env.put("PBTNAS_INPUT", input.toString());
        }
        return env;
    }

    public record Result(int exitCode, String stdout, String stderr) {
        public List<String> lines() {
            return stdout.lines().toList();
        }
    }

    public static Result run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = TrainerMain.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Files left anywhere under dir (empty when the directory does not exist). */
    public static List<Path> filesUnder(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
