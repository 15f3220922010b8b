package io.pbtnas.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The tensors of a {@link NetworkPlan} on the engine, and the forward pass over them. */
public final class Network implements Weights, AutoCloseable {
    private final NetworkPlan plan;
    private final NDManager manager;
    private final Map<String, NDArray> tensors = new LinkedHashMap<>();

    private Network(NetworkPlan plan, NDManager manager) {
        this.plan = plan;
        this.manager = manager;
    }

    /** A network holding {@code values} (one float array per plan tensor, e.g. from a checkpoint). */
    public static Network of(NetworkPlan plan, NDManager parent, Map<String, float[]> values) {
        Network n = new Network(plan, parent.newSubManager());
        for (ParamSpec p : plan.params()) {
            float[] v = values.get(p.name());
            if (v == null || v.length != p.elementCount()) {
                n.close();
                throw new IllegalArgumentException("no values of the right size for tensor " + p);
            }
            NDArray a = n.manager.create(v, new Shape(p.shape()));
            if (p.trainable()) {
                a.setRequiresGradient(true);
            }
            n.tensors.put(p.name(), a);
        }
        return n;
    }

    /** A freshly initialised network. */
    public static Network initialise(NetworkPlan plan, NDManager parent, long seed) {
        return of(plan, parent, WeightInit.draw(plan.params(), seed));
    }

    /** Logits [batch, classes] for images [batch, 1, 28, 28]; training mode uses and updates batch statistics. */
    public NDArray forward(NDArray images, boolean training) {
        NDArray x = images;
        for (Layer layer : plan.layers()) {
            NDArray next = training ? layer.forward(x, this, true) : inferFreeingTemporaries(layer, x);
            if (!training && x != images && next != x) {
                x.close();
            }
            x = next;
        }
        return x;
    }

    /**
     * One layer in inference, its temporaries freed as soon as it returns (as Python's reference counting
     * does) rather than when the caller's scope ends: each new activation then reuses memory that is still
     * in cache, where holding every activation of the batch made the memory-bound ops stream through fresh
     * memory (benchmarks/README.md, section 5). Only the output survives, in the caller's scope.
     */
    private NDArray inferFreeingTemporaries(Layer layer, NDArray x) {
        NDArray out;
        try (NDScope temporaries = new NDScope()) {
            out = layer.forward(x, this, false);
            NDScope.unregister(out);
        }
        NDScope.register(out);
        return out;
    }

    @Override
    public NDArray get(String name) {
        NDArray a = tensors.get(name);
        if (a == null) {
            throw new IllegalStateException("the network has no tensor '" + name + "'");
        }
        return a;
    }

    public NetworkPlan plan() {
        return plan;
    }

    public List<ParamSpec> trainable() {
        return plan.params().stream().filter(ParamSpec::trainable).toList();
    }

    /** A copy of every tensor's values, in plan order. */
    public Map<String, float[]> snapshot() {
        Map<String, float[]> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> out.put(k, v.toFloatArray()));
        return Collections.unmodifiableMap(out);
    }

    public NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        manager.close();
    }
}
