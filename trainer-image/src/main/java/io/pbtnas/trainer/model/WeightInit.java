package io.pbtnas.trainer.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Fresh values for every tensor, drawn in Java from the tensor's recorded distribution with a stream
 * seeded by (seed, tensor name): a tensor's initial values do not depend on which other tensors exist.
 */
public final class WeightInit {
    private WeightInit() {
    }

    public static Map<String, float[]> draw(List<ParamSpec> params, long seed) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (ParamSpec p : params) {
            out.put(p.name(), draw(p, seed));
        }
        return out;
    }

    public static float[] draw(ParamSpec p, long seed) {
        SplittableRandom rng = new SplittableRandom(SeedMixer.derive(seed, "init/" + p.name()));
        float[] v = new float[p.elementCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) p.init().sample(rng);
        }
        return v;
    }
}
