package io.pbtnas.trainer.checkpoint;

import io.pbtnas.core.checkpoint.CheckpointMetadata;
import io.pbtnas.core.checkpoint.InitDistribution;
import io.pbtnas.core.safetensors.DType;
import io.pbtnas.core.safetensors.Tensor;
import io.pbtnas.core.space.Gene;
import io.pbtnas.core.space.SearchSpace;
import io.pbtnas.trainer.BadInputException;
import io.pbtnas.trainer.model.NetworkPlan;
import io.pbtnas.trainer.model.ParamSpec;
import io.pbtnas.trainer.model.WeightInit;
import io.pbtnas.trainer.train.Adam;
import io.pbtnas.trainer.train.AdamState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Network tensors and Adam state ↔ checkpoint tensors. Names: the plan's tensor names, then
 * {@code optimizer/exp_avg/<p>}, {@code optimizer/exp_avg_sq/<p>} (F32, shaped like p) and
 * {@code optimizer/step/<p>} (I64 scalar) for every trainable p. Every floating tensor's init
 * distribution goes into {@code pbtnas.init}.
 */
public final class CheckpointCodec {
    private static final InitDistribution ZERO = new InitDistribution.Constant(0);

    private CheckpointCodec() {
    }

    /** The tensors to write, in plan order then optimizer state. */
    public static LinkedHashMap<String, Tensor> tensors(NetworkPlan plan, Map<String, float[]> weights,
            Map<String, AdamState> optimizer) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        List<ParamSpec> params = plan.params();
        for (ParamSpec p : params) {
            out.put(p.name(), Tensor.ofFloats(p.shape(), weights.get(p.name())));
        }
        for (ParamSpec p : params) {
            if (p.trainable()) {
                out.put(slot(Adam.EXP_AVG, p), Tensor.ofFloats(p.shape(), optimizer.get(p.name()).expAvg()));
            }
        }
        for (ParamSpec p : params) {
            if (p.trainable()) {
                out.put(slot(Adam.EXP_AVG_SQ, p), Tensor.ofFloats(p.shape(), optimizer.get(p.name()).expAvgSq()));
            }
        }
        for (ParamSpec p : params) {
            if (p.trainable()) {
                out.put(slot(Adam.STEP, p), Tensor.ofLongs(new long[0], new long[] {optimizer.get(p.name()).step()}));
            }
        }
        return out;
    }

    /** The {@code pbtnas.init} table: every floating tensor (moments start at constant(0)). */
    public static Map<String, InitDistribution> initTable(NetworkPlan plan) {
        Map<String, InitDistribution> init = new LinkedHashMap<>();
        for (ParamSpec p : plan.params()) {
            init.put(p.name(), p.init());
        }
        for (String s : List.of(Adam.EXP_AVG, Adam.EXP_AVG_SQ)) {
            for (ParamSpec p : plan.params()) {
                if (p.trainable()) {
                    init.put(slot(s, p), ZERO);
                }
            }
        }
        return init;
    }

    /**
     * The plan's tensors from a checkpoint. Every one must be there as F32 with its shape, and nothing
     * else may be (a leftover tensor means the checkpoint was written for another genome or width). A
     * gene with no tensors at all in the checkpoint (the mixer leaves out resampled genes) starts from
     * fresh values drawn with {@code seed}.
     */
    public static Map<String, float[]> weights(StoredCheckpoint ck, NetworkPlan plan, SearchSpace space, long seed) {
        List<String> problems = new ArrayList<>();
        Map<String, float[]> out = new LinkedHashMap<>();
        Set<String> expected = new TreeSet<>();
        Set<String> genesInFile = new TreeSet<>();
        for (String name : ck.tensors().keySet()) {
            space.ownerOf(name).ifPresent(g -> genesInFile.add(g.name()));
        }
        for (ParamSpec p : plan.params()) {
            expected.add(p.name());
            Tensor t = ck.tensors().get(p.name());
            Optional<Gene> owner = space.ownerOf(p.name());
            if (t == null && owner.isPresent() && !genesInFile.contains(owner.get().name())) {
                out.put(p.name(), WeightInit.draw(p, seed)); // a resampled gene: fresh weights
            } else if (t == null) {
                problems.add("missing tensor '" + p.name() + "' " + Arrays.toString(p.shape()));
            } else if (t.dtype() != DType.F32 || !Arrays.equals(t.shape(), p.shape())) {
                problems.add("tensor '" + p.name() + "' is " + t.dtype().code() + Arrays.toString(t.shape())
                        + ", expected F32" + Arrays.toString(p.shape()));
            } else {
                out.put(p.name(), t.toFloats());
            }
        }
        for (String name : ck.tensors().keySet()) {
            if (!expected.contains(name) && !CheckpointMetadata.isOptimizerState(name)) {
                problems.add("unexpected tensor '" + name + "'");
            }
        }
        if (!problems.isEmpty()) {
            throw new BadInputException("checkpoint " + ck.file() + " does not fit genome " + plan.genome().toJson()
                    + " at width " + plan.width() + ":\n  " + String.join("\n  ", problems.subList(0,
                    Math.min(12, problems.size()))) + (problems.size() > 12 ? "\n  ... " + (problems.size() - 12)
                    + " more" : "") + "\nEach gene's op owns '<prefix><op>.*': give the genome the checkpoint was "
                    + "written for, or mix it for this genome with 'pbtnas mix'");
        }
        return out;
    }

    /**
     * Adam state per trainable parameter. A parameter with no state at all starts fresh, as does one
     * whose step is 0 (the mixer zeroes the state of shrink-perturbed genes).
     */
    public static Map<String, AdamState> optimizer(StoredCheckpoint ck, NetworkPlan plan) {
        Map<String, AdamState> out = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (ParamSpec p : plan.params()) {
            if (!p.trainable()) {
                continue;
            }
            Tensor m = ck.tensors().get(slot(Adam.EXP_AVG, p));
            Tensor v = ck.tensors().get(slot(Adam.EXP_AVG_SQ, p));
            Tensor step = ck.tensors().get(slot(Adam.STEP, p));
            if (m == null && v == null && step == null) {
                out.put(p.name(), AdamState.fresh(p.elementCount()));
                continue;
            }
            if (!isMoment(m, p) || !isMoment(v, p) || step == null || step.elementCount() != 1
                    || step.dtype().isFloating()) {
                problems.add("optimizer state of '" + p.name() + "' must be " + slot(Adam.EXP_AVG, p) + " and "
                        + slot(Adam.EXP_AVG_SQ, p) + " as F32" + Arrays.toString(p.shape()) + " and " + slot(Adam.STEP, p)
                        + " as one integer; found " + describe(m) + ", " + describe(v) + ", " + describe(step));
                continue;
            }
            long t = stepValue(step);
            if (t < 0) {
                problems.add(slot(Adam.STEP, p) + " is negative (" + t + ")");
                continue;
            }
            out.put(p.name(), t == 0 ? AdamState.fresh(p.elementCount()) : new AdamState(m.toFloats(), v.toFloats(), t));
        }
        if (!problems.isEmpty()) {
            throw new BadInputException("checkpoint " + ck.file() + " has malformed optimizer state:\n  "
                    + String.join("\n  ", problems.subList(0, Math.min(12, problems.size()))));
        }
        return out;
    }

    static String slot(String slot, ParamSpec p) {
        return CheckpointMetadata.optimizerState(slot, p.name());
    }

    private static boolean isMoment(Tensor t, ParamSpec p) {
        return t != null && t.dtype() == DType.F32 && Arrays.equals(t.shape(), p.shape());
    }

    private static long stepValue(Tensor t) {
        return switch (t.dtype()) {
            case I64 -> t.toLongs()[0];
            case I32 -> t.toInts()[0];
            case U8 -> t.toBytes()[0] & 0xff;
            default -> throw new IllegalStateException("not an integer tensor: " + t);
        };
    }

    private static String describe(Tensor t) {
        return t == null ? "missing" : t.dtype().code() + Arrays.toString(t.shape());
    }
}
