package io.pbtnas.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.pbtnas.core.space.SearchSpace;
import io.pbtnas.trainer.BuiltinSearchSpace;
import io.pbtnas.trainer.EngineSetup;
import io.pbtnas.trainer.TestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Inference frees every activation once consumed, so a batch's memory does not grow with depth. */
class InferenceMemoryTest {
    private static final SearchSpace SPACE = BuiltinSearchSpace.fashionMnist(6);

    @BeforeAll
    static void engine() {
        EngineSetup.start(1);
    }

    @Test
    void inferenceLeavesOnlyTheInputAndTheLogitsAlive() {
        NetworkPlan plan = NetworkPlan.of(SPACE, SPACE.ordered(TestSupport.MIXED), 4);
        try (NDManager m = NDManager.newBaseManager(); Network net = Network.initialise(plan, m, 1);
             NDManager batch = m.newSubManager(); NDScope ignored = new NDScope()) {
            NDArray x = batch.randomNormal(new Shape(2, 1, 28, 28));
            NDArray logits = net.forward(x, false);
            assertEquals(new Shape(2, 10), logits.getShape());
            assertEquals(2, batch.getManagedArrays().size(), () -> "alive: " + batch.getManagedArrays());
            assertTrue(batch.getManagedArrays().contains(x));
            assertTrue(batch.getManagedArrays().contains(logits));
        }
    }
}
