package io.pbtnas.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.core.checkpoint.CheckpointMetadata;
import io.pbtnas.core.mix.ShrinkPerturb;
import io.pbtnas.core.safetensors.Safetensors;
import io.pbtnas.core.safetensors.Tensor;
import io.pbtnas.core.space.Genome;
import io.pbtnas.core.space.SearchSpace;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A child made by core's shrink-perturb from two trained parents loads and trains. */
class MixedChildTest {
    private static final SearchSpace SPACE = BuiltinSearchSpace.fashionMnist(6);

    @TempDir
    Path tmp;

    @Test
    void shrinkPerturbedChildTrainsAndItsSwappedGenesRestartTheirOptimizerState() throws Exception {
        Genome parentGenome = BuiltinSearchSpace.defaultGenome(6);
        Path parent = train("parent", parentGenome);
        Path donor = train("donor", TestSupport.MIXED);
        Path child = tmp.resolve("child.safetensors");
        ShrinkPerturb.mix(parent, donor, List.of("cell0", "cell5"), Map.of("cell2", "maxpool"), 0.4, 0.1, 77, SPACE,
                child);
        Genome childGenome = parentGenome.with("cell0", "sepconv3x3").with("cell2", "maxpool");
        Map<String, Tensor> mixed = Safetensors.readAll(child);
        assertTrue(mixed.containsKey("cell0.sepconv3x3.depthwise.weight"), mixed.keySet().toString());
        assertTrue(mixed.keySet().stream().noneMatch(n -> n.startsWith("cell2.")), "resampled gene left to the trainer");

        Path out = tmp.resolve("child-out");
        TestSupport.Result r = TestSupport.run(TestSupport.env(out, childGenome, 1, 2, child));
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        Map<String, Tensor> trained = Safetensors.readAll(out.resolve(TrainerRun.MODEL_FILE));
        assertEquals(childGenome.choices(), Genome.fromJson(
                Safetensors.readMetadata(out.resolve(TrainerRun.MODEL_FILE)).get(CheckpointMetadata.GENOME)).choices());
        // swapped and resampled genes restarted Adam (8 steps this epoch); the parent's genes kept counting (16)
        assertEquals(8L, step(trained, "cell0.sepconv3x3.pointwise.weight"));
        assertEquals(8L, step(trained, "cell2.maxpool.conv.weight"));
        assertEquals(8L, step(trained, "cell5.conv3x3.conv.weight"));
        assertEquals(16L, step(trained, "cell1.conv3x3.conv.weight"));
        assertEquals(16L, step(trained, "stem.conv.weight"));
        assertNotEquals(mixed.get("cell0.sepconv3x3.depthwise.weight"), trained.get("cell0.sepconv3x3.depthwise.weight"));
        for (Tensor t : trained.values()) {
            if (t.dtype() == io.pbtnas.core.safetensors.DType.F32) {
                for (float v : t.toFloats()) {
                    assertTrue(Float.isFinite(v));
                }
            }
        }
    }

    private Path train(String name, Genome genome) {
        Path out = tmp.resolve(name);
        TestSupport.Result r = TestSupport.run(TestSupport.env(out, genome, 0, 1, null));
        assertEquals(0, r.exitCode(), r.stderr());
        return out.resolve(TrainerRun.MODEL_FILE);
    }

    private static long step(Map<String, Tensor> tensors, String param) {
        return tensors.get(CheckpointMetadata.optimizerState("step", param)).toLongs()[0];
    }
}
