package io.pbtnas.core.mix;

import io.pbtnas.core.checkpoint.CheckpointMetadata;
import io.pbtnas.core.checkpoint.InitDistribution;
import io.pbtnas.core.engine.MixPlan;
import io.pbtnas.core.safetensors.DType;
import io.pbtnas.core.safetensors.HalfFloats;
import io.pbtnas.core.safetensors.SafetensorsException;
import io.pbtnas.core.safetensors.SafetensorsReader;
import io.pbtnas.core.safetensors.SafetensorsWriter;
import io.pbtnas.core.safetensors.TensorInfo;
import io.pbtnas.core.safetensors.TensorSpec;
import io.pbtnas.core.space.Gene;
import io.pbtnas.core.space.Genome;
import io.pbtnas.core.space.SearchSpace;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a child checkpoint from a parent and a donor (PBT-NAS weight inheritance): floating
 * tensors of swapped genes become {@code λ·donor + γ·fresh}, fresh drawn from the donor's recorded
 * {@code pbtnas.init} distribution; integer tensors of swapped genes are copied from the donor;
 * their optimizer state is reset to zeros; every other tensor is copied bit-exactly from the
 * parent. Streams in bounded chunks; the output appears atomically or not at all.
 */
public final class ShrinkPerturb {
    /** Elements per chunk: a multiple of the fresh-value block so chunks never split a block. */
    static final int CHUNK_ELEMENTS = 16 * FreshValues.BLOCK;

    private ShrinkPerturb() {
    }

    /** Executes a plan whose paths are already resolved to files. */
    public static void mix(Path parent, Path donor, MixPlan plan, SearchSpace space, Path output) throws IOException {
        mix(parent, donor, plan.swappedGenes(), plan.resampledGenes(), plan.shrink(), plan.perturb(), plan.seed(),
                space, output);
    }

    public static void mix(Path parent, Path donor, List<String> swappedGenes, Map<String, String> resampledGenes,
                           double shrink, double perturb, long seed, SearchSpace space, Path output)
            throws IOException {
        if (!Double.isFinite(shrink) || !Double.isFinite(perturb)) {
            throw new IllegalArgumentException("shrink and perturb must be finite, got " + shrink + ", " + perturb);
        }
        Set<String> swapped = new LinkedHashSet<>(swappedGenes);
        Set<String> resampled = new LinkedHashSet<>(resampledGenes.keySet());
        for (String g : swapped) {
            requireGene(space, g, "swapped");
        }
        for (String g : resampled) {
            requireGene(space, g, "resampled");
        }
        try (SafetensorsReader p = SafetensorsReader.open(parent);
             SafetensorsReader d = SafetensorsReader.open(donor)) {
            Genome parentGenome = genome(p, space);
            Genome donorGenome = genome(d, space);
            List<TensorSource> sources;
            try {
                sources = ChildLayout.plan(parent.toString(), p.tensors(), parentGenome, donor.toString(),
                        d.tensors(), donorGenome, swapped, resampled, space);
            } catch (IllegalArgumentException e) {
                throw new SafetensorsException(e.getMessage());
            }
            Genome child = parentGenome;
            for (String g : swapped) {
                child = child.with(g, donorGenome.get(g));
            }
            for (Map.Entry<String, String> e : resampledGenes.entrySet()) {
                child = child.with(e.getKey(), e.getValue());
            }
            space.check(child);
            Map<String, InitDistribution> donorInit = initTable(d, swapped.isEmpty());
            Map<String, String> metadata = childMetadata(p, child, donorInit, swapped, resampled, space);
            Map<String, InitDistribution> needed = new LinkedHashMap<>();
            for (TensorSource s : sources) {
                if (s.kind() == TensorSource.Kind.SHRINK_PERTURB && perturb != 0) {
                    InitDistribution dist = donorInit.get(s.from().name());
                    if (dist == null) {
                        throw new SafetensorsException(donor + ": tensor '" + s.from().name() + "': no init "
                                + "distribution in " + CheckpointMetadata.INIT + "; the trainer must record one for "
                                + "every floating tensor so fresh weights can be drawn");
                    }
                    needed.put(s.from().name(), dist);
                }
            }
            List<TensorSpec> layout = sources.stream().map(s -> s.from().spec()).toList();
            try (SafetensorsWriter w = SafetensorsWriter.create(output, metadata, layout)) {
                Chunker chunker = new Chunker(w);
                for (TensorSource s : sources) {
                    String name = s.from().name();
                    switch (s.kind()) {
                        case PARENT -> w.copyFrom(p, name, name);
                        case DONOR -> w.copyFrom(d, name, name);
                        case ZERO -> chunker.zeros(s.from());
                        case SHRINK_PERTURB -> chunker.shrinkPerturb(d, s.from(), shrink, perturb,
                                needed.get(name), FreshValues.tensorSeed(seed, name));
                    }
                }
                w.commit();
            }
        }
    }

    private static void requireGene(SearchSpace space, String gene, String role) {
        if (space.gene(gene).isEmpty()) {
            throw new IllegalArgumentException(role + " gene '" + gene + "' is not in the search space "
                    + space.geneNames());
        }
    }

    private static Genome genome(SafetensorsReader r, SearchSpace space) throws SafetensorsException {
        String json = r.metadata().get(CheckpointMetadata.GENOME);
        if (json == null) {
            throw new SafetensorsException(r.file() + ": no " + CheckpointMetadata.GENOME + " in __metadata__; "
                    + "a pbtnas checkpoint records its genome there");
        }
        try {
            return space.ordered(Genome.fromJson(json));
        } catch (IllegalArgumentException e) {
            throw new SafetensorsException(r.file() + ": " + CheckpointMetadata.GENOME + ": " + e.getMessage());
        }
    }

    private static Map<String, InitDistribution> initTable(SafetensorsReader r, boolean optional)
            throws SafetensorsException {
        String json = r.metadata().get(CheckpointMetadata.INIT);
        if (json == null) {
            return Map.of();
        }
        try {
            return InitDistribution.parseTable(json);
        } catch (IllegalArgumentException e) {
            if (optional) {
                return Map.of();
            }
            throw new SafetensorsException(r.file() + ": " + e.getMessage());
        }
    }

    /** Parent's metadata, with the child genome and an init table describing the child's own tensors. */
    private static Map<String, String> childMetadata(SafetensorsReader p, Genome child,
                                                     Map<String, InitDistribution> donorInit, Set<String> swapped,
                                                     Set<String> resampled, SearchSpace space)
            throws SafetensorsException {
        Map<String, String> meta = new LinkedHashMap<>(p.metadata());
        meta.put(CheckpointMetadata.GENOME, child.toJson());
        String parentInit = p.metadata().get(CheckpointMetadata.INIT);
        if (parentInit == null && donorInit.isEmpty()) {
            return meta;
        }
        Map<String, InitDistribution> init = new LinkedHashMap<>();
        if (parentInit != null) {
            try {
                InitDistribution.parseTable(parentInit).forEach((name, dist) -> {
                    String gene = space.ownerOf(name).map(Gene::name).orElse(null);
                    if (gene == null || !(swapped.contains(gene) || resampled.contains(gene))) {
                        init.put(name, dist);
                    }
                });
            } catch (IllegalArgumentException e) {
                throw new SafetensorsException(p.file() + ": " + e.getMessage());
            }
        }
        donorInit.forEach((name, dist) -> {
            String gene = space.ownerOf(name).map(Gene::name).orElse(null);
            if (gene != null && swapped.contains(gene)) {
                init.put(name, dist);
            }
        });
        meta.put(CheckpointMetadata.INIT, InitDistribution.toJson(init));
        return meta;
    }

    /** Bounded-memory streaming of computed tensors: one chunk buffer, reused. */
    private static final class Chunker {
        private final SafetensorsWriter w;
        private final ByteBuffer bytes = ByteBuffer.allocateDirect(CHUNK_ELEMENTS * 8).order(ByteOrder.LITTLE_ENDIAN);
        private final ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
        private final float[] fresh = new float[CHUNK_ELEMENTS];
        private final double[] freshD = new double[CHUNK_ELEMENTS];
        private final float[] values = new float[CHUNK_ELEMENTS];

        Chunker(SafetensorsWriter w) {
            this.w = w;
        }

        void zeros(TensorInfo t) throws IOException {
            long left = t.byteLength();
            while (left > 0) {
                int n = (int) Math.min(zeros.capacity(), left);
                w.writeChunk(t.name(), zeros.clear().limit(n));
                left -= n;
            }
        }

        void shrinkPerturb(SafetensorsReader donor, TensorInfo t, double shrink, double perturb,
                           InitDistribution dist, long tensorSeed) throws IOException {
            if (shrink == 1 && perturb == 0) {
                w.copyFrom(donor, t.name(), t.name()); // the "copy exactly" ablation stays bit-exact
                return;
            }
            DType dt = t.dtype();
            int size = dt.size();
            long count = t.elementCount();
            for (long first = 0; first < count; first += CHUNK_ELEMENTS) {
                int n = (int) Math.min(CHUNK_ELEMENTS, count - first);
                bytes.clear().limit(n * size);
                if (shrink != 0) {
                    donor.readChunk(t, first * size, bytes);
                }
                if (dt == DType.F64) {
                    mixDoubles(n, first, shrink, perturb, dist, tensorSeed);
                } else {
                    mixFloats(dt, n, first, (float) shrink, (float) perturb, dist, tensorSeed);
                }
                bytes.position(0).limit(n * size);
                w.writeChunk(t.name(), bytes);
            }
        }

        private void mixFloats(DType dt, int n, long first, float shrink, float perturb, InitDistribution dist,
                               long seed) {
            if (shrink != 0) {
                decode(dt, n);
            }
            if (perturb != 0) {
                FreshValues.fill(dist, seed, first, fresh, n);
            }
            // Plain array loops: the JIT vectorises them; the three forms keep the ablations exact.
            if (shrink == 0) {
                for (int i = 0; i < n; i++) {
                    values[i] = perturb * fresh[i];
                }
            } else if (perturb == 0) {
                for (int i = 0; i < n; i++) {
                    values[i] = shrink * values[i];
                }
            } else {
                for (int i = 0; i < n; i++) {
                    values[i] = shrink * values[i] + perturb * fresh[i];
                }
            }
            encode(dt, n);
        }

        private void decode(DType dt, int n) {
            bytes.position(0);
            switch (dt) {
                case F32 -> bytes.asFloatBuffer().get(values, 0, n);
                case F16 -> {
                    for (int i = 0; i < n; i++) {
                        values[i] = HalfFloats.f16ToFloat(bytes.getShort(2 * i));
                    }
                }
                default -> {
                    for (int i = 0; i < n; i++) {
                        values[i] = HalfFloats.bf16ToFloat(bytes.getShort(2 * i));
                    }
                }
            }
        }

        private void encode(DType dt, int n) {
            bytes.clear();
            switch (dt) {
                case F32 -> bytes.asFloatBuffer().put(values, 0, n);
                case F16 -> {
                    for (int i = 0; i < n; i++) {
                        bytes.putShort(2 * i, HalfFloats.floatToF16(values[i]));
                    }
                }
                default -> {
                    for (int i = 0; i < n; i++) {
                        bytes.putShort(2 * i, HalfFloats.floatToBf16(values[i]));
                    }
                }
            }
        }

        private void mixDoubles(int n, long first, double shrink, double perturb, InitDistribution dist, long seed) {
            if (perturb != 0) {
                FreshValues.fill(dist, seed, first, freshD, n);
            }
            for (int i = 0; i < n; i++) {
                double d = shrink == 0 ? 0 : bytes.getDouble(8 * i);
                double v = shrink == 0 ? perturb * freshD[i]
                        : perturb == 0 ? shrink * d
                        : shrink * d + perturb * freshD[i];
                bytes.putDouble(8 * i, v);
            }
        }
    }
}
