package io.pbtnas.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.core.space.Genome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad inputs exit 2 with a message naming the problem, and leave no output at all. */
class BadInputTest {
    @TempDir
    static Path shared;
    static Path good;

    @TempDir
    Path tmp;

    @BeforeAll
    static void trainOne() {
        good = shared.resolve("good");
        TestSupport.Result r = TestSupport.run(TestSupport.env(good, TestSupport.MIXED, 0, 1, null));
        assertEquals(0, r.exitCode(), r.stderr());
    }

    @Test
    void missingCheckpoint() throws Exception {
        Path missing = tmp.resolve("nope/model.safetensors");
        expectBadInput(TestSupport.env(out(), TestSupport.MIXED, 1, 2, missing), missing + " does not exist");
    }

    @Test
    void genomeOutsideTheSearchSpace() throws Exception {
        Genome g = TestSupport.MIXED.with("cell1", "conv9x9");
        expectBadInput(TestSupport.env(out(), g, 0, 1, null), "option 'conv9x9' is not one of");
        Map<String, String> extra = new LinkedHashMap<>(TestSupport.MIXED.choices());
        extra.put("cell9", "conv3x3");
        expectBadInput(TestSupport.env(out(), new Genome(extra), 0, 1, null), "gene 'cell9' is not in the search space");
    }

    @Test
    void unknownOpInTheSearchSpace() throws Exception {
        Map<String, String> env = TestSupport.env(out(), new Genome(Map.of("cell0", "conv3x3")), 0, 1, null);
        env.put("PBTNAS_SEARCH_SPACE", "{\"genes\":[{\"name\":\"cell0\",\"options\":[\"conv3x3\",\"lstm\"]}]}");
        expectBadInput(env, "unknown op 'lstm'");
    }

    @Test
    void corruptCheckpoint() throws Exception {
        byte[] bytes = Files.readAllBytes(good.resolve(TrainerRun.MODEL_FILE));
        Path truncated = tmp.resolve("truncated.safetensors");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        expectBadInput(TestSupport.env(out(), TestSupport.MIXED, 1, 2, truncated), "truncated.safetensors");
        Path garbage = tmp.resolve("garbage.safetensors");
        Files.writeString(garbage, "this is not a checkpoint");
        expectBadInput(TestSupport.env(out(), TestSupport.MIXED, 1, 2, garbage), "not a readable safetensors file");
    }

    @Test
    void checkpointOfAnotherGenomeOrEpoch() throws Exception {
        Path model = good.resolve(TrainerRun.MODEL_FILE);
        expectBadInput(TestSupport.env(out(), TestSupport.MIXED.with("cell5", "conv5x5"), 1, 2, model),
                "differs from the genome");
        expectBadInput(TestSupport.env(out(), TestSupport.MIXED, 3, 4, model), "set it to 1 to resume");
        Map<String, String> wide = TestSupport.env(out(), TestSupport.MIXED, 1, 2, model);
        wide.put("PBTNAS_TASK_ARGS", TestSupport.SMALL_ARGS.replace("\"width\":4", "\"width\":8"));
        expectBadInput(wide, "trained at width 4");
    }

    @Test
    void missingDataAndBadTaskArgs() throws Exception {
        Map<String, String> env = TestSupport.env(out(), TestSupport.MIXED, 0, 1, null);
        env.put("PBTNAS_TASK_ARGS", "{\"dataDir\":\"" + tmp.resolve("no-data") + "\",\"threads\":1}");
        expectBadInput(env, "apt-get install dataset-fashion-mnist");
        env.put("PBTNAS_TASK_ARGS", "{\"learningrate\":0.1}");
        expectBadInput(env, "taskArgs.learningrate");
    }

    @Test
    void divergingTrainingExitsOneAndWritesNothing() throws Exception {
        Path out = out();
        Map<String, String> env = TestSupport.env(out, TestSupport.MIXED, 0, 1, null);
        env.put("PBTNAS_TASK_ARGS", TestSupport.SMALL_ARGS.replace("}", ",\"learningRate\":1e38}"));
        TestSupport.Result r = TestSupport.run(env);
        assertEquals(ExitCode.TRAINING_FAILED, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("diverged"), r.stderr());
        assertNoOutput(out);
    }

    private Path out() {
        return tmp.resolve("out-" + System.nanoTime());
    }

    private static void expectBadInput(Map<String, String> env, String expected) throws Exception {
        Path out = Path.of(env.get("PBTNAS_OUTPUT_DIR"));
        TestSupport.Result r = TestSupport.run(env);
        assertEquals(ExitCode.BAD_INPUT, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stderr().contains(expected), "stderr should mention '" + expected + "': " + r.stderr());
        assertTrue(r.stdout().contains("\"event\":\"error\""), r.stdout());
        assertNoOutput(out);
    }

    private static void assertNoOutput(Path out) throws Exception {
        assertEquals(List.of(), TestSupport.filesUnder(out));
        assertTrue(!Files.exists(Path.of(out + ".termination-log")), "no termination message");
    }
}
