package io.pbtnas.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.pbtnas.trainer.model.Network;
import io.pbtnas.trainer.model.ParamSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam (Kingma and Ba), written here because DJL's optimizer hides its state: the moments and the
 * per-parameter step count are ours to save and restore, which makes resuming bit-exact. The update is
 * PyTorch's: m = b1·m + (1-b1)·g; v = b2·v + (1-b2)·g²; p -= lr/bc1 · m / (sqrt(v)/sqrt(bc2) + eps), after
 * AdamW's decoupled decay p -= lr·wd·p when weightDecay &gt; 0.
 */
public final class Adam {
    public static final String EXP_AVG = "exp_avg";
    public static final String EXP_AVG_SQ = "exp_avg_sq";
    public static final String STEP = "step";

    private final AdamSettings settings;
    private final Map<String, NDArray> expAvg = new LinkedHashMap<>();
    private final Map<String, NDArray> expAvgSq = new LinkedHashMap<>();
    private final Map<String, Long> steps = new LinkedHashMap<>();

    /** State arrays live in the network's manager and are freed with it. */
    public Adam(Network network, AdamSettings settings, Map<String, AdamState> state) {
        this.settings = settings;
        for (ParamSpec p : network.trainable()) {
            AdamState s = state.getOrDefault(p.name(), AdamState.fresh(p.elementCount()));
            Shape shape = new Shape(p.shape());
            expAvg.put(p.name(), network.manager().create(s.expAvg(), shape));
            expAvgSq.put(p.name(), network.manager().create(s.expAvgSq(), shape));
            steps.put(p.name(), s.step());
        }
    }

    /** Applies one update from the gradients the last backward pass left, then zeroes them. */
    public void step(Network network) {
        float b1 = (float) settings.beta1();
        float b2 = (float) settings.beta2();
        try (NDScope ignored = new NDScope()) {
            for (Map.Entry<String, NDArray> e : expAvg.entrySet()) {
                String name = e.getKey();
                NDArray w = network.get(name);
                NDArray g = w.getGradient();
                long t = steps.merge(name, 1L, Long::sum);
                NDArray m = e.getValue();
                NDArray v = expAvgSq.get(name);
                m.muli(b1).addi(g.mul(1 - b1));
                v.muli(b2).addi(g.square().muli(1 - b2));
                double bc1 = 1 - Math.pow(settings.beta1(), t);
                double bc2 = 1 - Math.pow(settings.beta2(), t);
                if (settings.weightDecay() > 0) {
                    w.muli((float) (1 - settings.learningRate() * settings.weightDecay())); // AdamW, decoupled
                }
                NDArray denom = v.sqrt().divi((float) Math.sqrt(bc2)).addi((float) settings.eps());
                w.subi(m.div(denom).muli((float) (settings.learningRate() / bc1)));
                g.subi(g);
            }
        }
    }

    /** The state to checkpoint, per trainable parameter. */
    public Map<String, AdamState> snapshot() {
        Map<String, AdamState> out = new LinkedHashMap<>();
        for (String name : expAvg.keySet()) {
            out.put(name, new AdamState(expAvg.get(name).toFloatArray(), expAvgSq.get(name).toFloatArray(),
                    steps.get(name)));
        }
        return out;
    }

    public AdamSettings settings() {
        return settings;
    }
}
