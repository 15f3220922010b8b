package io.pbtnas.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pbtnas.core.checkpoint.CheckpointMetadata;
import io.pbtnas.core.safetensors.Safetensors;
import io.pbtnas.core.safetensors.Tensor;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PBTNAS_HPARAMS: learningRate, weightDecay and batchSize per step; anything else exits 2. */
class HyperparametersTest {
    /** TestSupport's small task without the two values the search explores here. */
    static final String ARGS_WITHOUT = "{\"trainSubset\":256,\"validationSubset\":200,\"testSubset\":200,"
            + "\"width\":4,\"threads\":1,\"progressEvery\":4}";

    @TempDir
    Path tmp;

    Map<String, String> env(String name, String taskArgs, String hparams) {
        Map<String, String> env = TestSupport.env(tmp.resolve(name), TestSupport.MIXED, 0, 1, null);
        env.put("PBTNAS_TASK_ARGS", taskArgs);
        if (hparams != null) {
            env.put("PBTNAS_HPARAMS", hparams);
        }
        return env;
    }

    @Test
    void theStepsValuesTrainExactlyAsTheSameTaskArgumentsAndAreRecorded() throws Exception {
        // SMALL_ARGS has learningRate 0.01 and batchSize 32.
        TestSupport.Result viaArgs = TestSupport.run(env("args", TestSupport.SMALL_ARGS, null));
        assertEquals(0, viaArgs.exitCode(), viaArgs.stderr());
        TestSupport.Result viaHparams = TestSupport.run(env("hp", ARGS_WITHOUT,
                "{\"learningRate\":0.01,\"batchSize\":32}"));
        assertEquals(0, viaHparams.exitCode(), viaHparams.stderr());
        TestSupport.Result otherLr = TestSupport.run(env("hp2", ARGS_WITHOUT,
                "{\"learningRate\":0.002,\"batchSize\":32}"));
        assertEquals(0, otherLr.exitCode(), otherLr.stderr());

        Map<String, Tensor> a = Safetensors.readAll(model("args"));
        Map<String, Tensor> b = Safetensors.readAll(model("hp"));
        Map<String, Tensor> c = Safetensors.readAll(model("hp2"));
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).toBytes(), b.get(k).toBytes(), k);
        }
        assertFalse(java.util.Arrays.equals(b.get("head.fc.weight").toFloats(), c.get("head.fc.weight").toFloats()),
                "another learning rate trains other weights");

        Map<String, String> meta = Safetensors.readMetadata(model("hp"));
        assertEquals(new ObjectMapper().readTree("{\"learningRate\":0.01,\"batchSize\":32}"),
                new ObjectMapper().readTree(meta.get(CheckpointMetadata.HPARAMS)));
        assertFalse(Safetensors.readMetadata(model("args")).containsKey(CheckpointMetadata.HPARAMS),
                "no hyperparameters given: none recorded");
    }

    @Test
    void weightDecayIsAppliedAndRecorded() throws Exception {
        TestSupport.Result plain = TestSupport.run(env("plain", ARGS_WITHOUT, "{\"learningRate\":0.01}"));
        TestSupport.Result decayed = TestSupport.run(env("wd", ARGS_WITHOUT,
                "{\"learningRate\":0.01,\"weightDecay\":0.05}"));
        assertEquals(0, plain.exitCode(), plain.stderr());
        assertEquals(0, decayed.exitCode(), decayed.stderr());
        float[] p = Safetensors.readAll(model("plain")).get("head.fc.weight").toFloats();
        float[] d = Safetensors.readAll(model("wd")).get("head.fc.weight").toFloats();
        assertTrue(norm(d) < norm(p), "decay shrinks the weights: " + norm(d) + " vs " + norm(p));
        Map<String, String> meta = Safetensors.readMetadata(model("wd"));
        assertTrue(meta.get("pbtnas.optimizer").contains("weightDecay=0.05"), meta.get("pbtnas.optimizer"));
        assertTrue(meta.get(CheckpointMetadata.HPARAMS).contains("\"weightDecay\":0.05"), meta.toString());
    }

    @Test
    void anUnknownNameExitsTwoNamingItAndWritesNothing() throws Exception {
        TestSupport.Result r = TestSupport.run(env("bad", ARGS_WITHOUT, "{\"learningRate\":0.01,\"momentum\":0.9}"));
        assertEquals(2, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("PBTNAS_HPARAMS (--hparams).momentum: unknown hyperparameter"), r.stderr());
        assertEquals(java.util.List.of(), TestSupport.filesUnder(tmp.resolve("bad")));
    }

    @Test
    void aValueAlsoGivenAsATaskArgumentIsBadInput() {
        TestSupport.Result r = TestSupport.run(env("both", TestSupport.SMALL_ARGS, "{\"learningRate\":0.01}"));
        assertEquals(2, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("learningRate and PBTNAS_TASK_ARGS.learningRate are both set"), r.stderr());
        TestSupport.Result frac = TestSupport.run(env("frac", ARGS_WITHOUT, "{\"batchSize\":32.5}"));
        assertEquals(2, frac.exitCode(), frac.stderr());
        assertTrue(frac.stderr().contains("batchSize: 32.5 is not an integer"), frac.stderr());
    }

    private Path model(String name) {
        return tmp.resolve(name).resolve(TrainerRun.MODEL_FILE);
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }
}
