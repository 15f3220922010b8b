package io.pbtnas.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.pbtnas.core.safetensors.Safetensors;
import io.pbtnas.core.space.SearchSpace;
import io.pbtnas.trainer.BuiltinSearchSpace;
import io.pbtnas.trainer.EngineSetup;
import io.pbtnas.trainer.TestSupport;
import io.pbtnas.trainer.checkpoint.CheckpointCodec;
import io.pbtnas.trainer.checkpoint.StoredCheckpoint;
import io.pbtnas.trainer.data.Batches;
import io.pbtnas.trainer.data.DataSplits;
import io.pbtnas.trainer.model.Network;
import io.pbtnas.trainer.model.NetworkPlan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The network, optimizer and checkpoint codec on the engine, with real Fashion-MNIST batches. */
class NetworkTrainingTest {
    private static final SearchSpace SPACE = BuiltinSearchSpace.fashionMnist(6);

    @TempDir
    Path tmp;

    @BeforeAll
    static void engine() {
        EngineSetup.start(1);
    }

    @Test
    void checkpointThenLoadGivesIdenticalLogits() throws Exception {
        DataSplits data = TestSupport.smallData();
        NetworkPlan plan = NetworkPlan.of(SPACE, SPACE.ordered(TestSupport.MIXED), 4);
        try (NDManager m = NDManager.newBaseManager(); Network net = Network.initialise(plan, m, 3)) {
            Adam adam = new Adam(net, AdamSettings.withLearningRate(1e-3), Map.of());
            new TrainingLoop(net, adam, 32, 100).run(data.train(), Batches.epochOrder(256, 3, 0), 0, 5,
                    ProgressListener.NONE);
            float[] before = Evaluator.logits(net, data.validation(), 16);
            Path file = tmp.resolve("m.safetensors");
            Safetensors.write(file, Map.of("pbtnas.genome", plan.genome().toJson(), "pbtnas.epoch", "1"),
                    CheckpointCodec.tensors(plan, net.snapshot(), adam.snapshot()));
            StoredCheckpoint ck = StoredCheckpoint.read(file);
            try (Network loaded = Network.of(plan, m, CheckpointCodec.weights(ck, plan, SPACE, 99))) {
                assertArrayEquals(before, Evaluator.logits(loaded, data.validation(), 16), 0f);
                Map<String, AdamState> state = CheckpointCodec.optimizer(ck, plan);
                assertEquals(5L, state.get("stem.conv.weight").step());
                assertArrayEquals(adam.snapshot().get("head.fc.weight").expAvgSq(),
                        state.get("head.fc.weight").expAvgSq(), 0f);
            }
        }
    }

    @Test
    void adamMatchesTheReferenceUpdate() {
        DataSplits data = TestSupport.smallData();
        NetworkPlan plan = NetworkPlan.of(BuiltinSearchSpace.fashionMnist(1), BuiltinSearchSpace.defaultGenome(1), 2);
        AdamSettings s = AdamSettings.withLearningRate(0.01);
        try (NDManager m = NDManager.newBaseManager(); Network net = Network.initialise(plan, m, 1)) {
            Adam adam = new Adam(net, s, Map.of());
            String name = "head.fc.weight";
            double[] w = toDouble(net.get(name).toFloatArray());
            double[] mom = new double[w.length];
            double[] vel = new double[w.length];
            for (int t = 1; t <= 3; t++) {
                float[] g = gradient(net, data, t);
                for (int i = 0; i < w.length; i++) {
                    mom[i] = s.beta1() * mom[i] + (1 - s.beta1()) * g[i];
                    vel[i] = s.beta2() * vel[i] + (1 - s.beta2()) * g[i] * g[i];
                    double denom = Math.sqrt(vel[i]) / Math.sqrt(1 - Math.pow(s.beta2(), t)) + s.eps();
                    w[i] -= s.learningRate() / (1 - Math.pow(s.beta1(), t)) * mom[i] / denom;
                }
                adam.step(net);
                float[] actual = net.get(name).toFloatArray();
                for (int i = 0; i < w.length; i++) {
                    assertEquals(w[i], actual[i], 1e-5 + 1e-4 * Math.abs(w[i]), "step " + t + " element " + i);
                }
                assertArrayEquals(new float[g.length], net.get(name).getGradient().toFloatArray(), 0f,
                        "gradients are zeroed after the step");
            }
            assertEquals(3L, adam.snapshot().get(name).step());
        }
    }

    @Test
    void lossFallsOverThreeHundredStepsOnFashionMnist() {
        DataSplits data = TestSupport.smallData();
        NetworkPlan plan = NetworkPlan.of(SPACE, BuiltinSearchSpace.defaultGenome(6), 8);
        List<Double> losses = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager(); Network net = Network.initialise(plan, m, 5)) {
            TrainingLoop loop = new TrainingLoop(net, new Adam(net, AdamSettings.withLearningRate(2e-3), Map.of()), 32, 1);
            int perEpoch = Batches.count(data.train().size(), 32);
            for (int epoch = 0; losses.size() < 300; epoch++) {
                loop.run(data.train(), Batches.epochOrder(data.train().size(), 5, epoch), epoch,
                        Math.min(perEpoch, 300 - losses.size()), (e, b, n, loss) -> losses.add(loss));
            }
            double first = losses.subList(0, 30).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double last = losses.subList(270, 300).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            assertTrue(first > 1.5, "starts near ln(10): " + first);
            assertTrue(last < 0.6 * first, "loss should fall: first 30 steps " + first + ", last 30 " + last);
            Evaluation v = Evaluator.evaluate(net, data.validation(), 100);
            assertTrue(v.accuracy() > 0.6, "validation accuracy after 300 steps: " + v.accuracy());
        }
    }

    private static float[] gradient(Network net, DataSplits data, int batch) {
        int[] order = Batches.identity(data.train().size());
        int[] labels = Batches.labels(data.train(), order, 16, batch);
        NDArray x = net.manager().create(Batches.images(data.train(), order, 16, batch), new Shape(labels.length, 1, 28, 28));
        NDArray y = net.manager().create(labels);
        try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
            c.backward(CrossEntropy.mean(net.forward(x, true), y));
        }
        return net.get("head.fc.weight").getGradient().toFloatArray();
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
