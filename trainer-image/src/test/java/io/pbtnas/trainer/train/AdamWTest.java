package io.pbtnas.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import io.pbtnas.core.space.SearchSpace;
import io.pbtnas.trainer.BuiltinSearchSpace;
import io.pbtnas.trainer.EngineSetup;
import io.pbtnas.trainer.TestSupport;
import io.pbtnas.trainer.model.Network;
import io.pbtnas.trainer.model.NetworkPlan;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** weightDecay is decoupled as in torch.optim.AdamW: w -= lr·wd·w, whatever the gradient. */
class AdamWTest {
    @BeforeAll
    static void engine() {
        EngineSetup.start(1);
    }

    @Test
    void withZeroGradientsAStepOnlyDecaysTheWeightsByLrTimesWd() {
        SearchSpace space = BuiltinSearchSpace.fashionMnist(6);
        NetworkPlan plan = NetworkPlan.of(space, space.ordered(TestSupport.MIXED), 4);
        double lr = 0.01;
        double wd = 0.5;
        try (NDManager m = NDManager.newBaseManager(); Network net = Network.initialise(plan, m, 3)) {
            Map<String, float[]> before = net.snapshot();
            // No backward pass: every gradient is zero, so Adam's own update is exactly 0.
            Adam adam = new Adam(net, AdamSettings.withLearningRate(lr).withWeightDecay(wd), Map.of());
            adam.step(net);
            Map<String, float[]> after = net.snapshot();
            float factor = (float) (1 - lr * wd);
            for (var p : net.trainable()) {
                float[] expected = before.get(p.name()).clone();
                for (int i = 0; i < expected.length; i++) {
                    expected[i] *= factor;
                }
                assertArrayEquals(expected, after.get(p.name()), 0f, p.name());
            }
            assertEquals("adamw(lr=0.01,beta1=0.9,beta2=0.999,eps=1.0E-8,weightDecay=0.5)",
                    adam.settings().toString());
        }
    }

    @Test
    void withoutWeightDecayAZeroGradientStepChangesNothing() {
        SearchSpace space = BuiltinSearchSpace.fashionMnist(6);
        NetworkPlan plan = NetworkPlan.of(space, space.ordered(TestSupport.MIXED), 4);
        try (NDManager m = NDManager.newBaseManager(); Network net = Network.initialise(plan, m, 3)) {
            Map<String, float[]> before = net.snapshot();
            new Adam(net, AdamSettings.withLearningRate(0.01), Map.of()).step(net);
            Map<String, float[]> after = net.snapshot();
            before.forEach((k, v) -> assertArrayEquals(v, after.get(k), 0f, k));
        }
    }
}
