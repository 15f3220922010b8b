package io.pbtnas.core.mix;

import io.pbtnas.core.checkpoint.CheckpointMetadata;
import io.pbtnas.core.checkpoint.InitDistribution;
import io.pbtnas.core.engine.MixPlan;
import io.pbtnas.core.safetensors.ByteSource;
import io.pbtnas.core.safetensors.DataAlignment;
import io.pbtnas.core.safetensors.Durability;
import io.pbtnas.core.safetensors.FileSource;
import io.pbtnas.core.safetensors.SafetensorsException;
import io.pbtnas.core.safetensors.SafetensorsReader;
import io.pbtnas.core.safetensors.SafetensorsWriter;
import io.pbtnas.core.safetensors.TensorInfo;
import io.pbtnas.core.safetensors.TensorSpec;
import io.pbtnas.core.space.Gene;
import io.pbtnas.core.space.Genome;
import io.pbtnas.core.space.SearchSpace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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
    /**
     * Elements per chunk: one fresh-value block (256 KiB of F32), small enough to stay in a core's
     * cache from the donor read to the write, which halves the CPU the two copies cost.
     */
    static final int CHUNK_ELEMENTS = FreshValues.BLOCK;
    /** Worker threads computing chunks; past a few, the single writer is the limit. */
    private static final int MAX_WORKERS = 8;

    private ShrinkPerturb() {
    }

    /** Executes a plan whose paths are already resolved to files. */
    public static void mix(Path parent, Path donor, MixPlan plan, SearchSpace space, Path output) throws IOException {
        mix(parent, donor, plan.swappedGenes(), plan.resampledGenes(), plan.shrink(), plan.perturb(), plan.seed(),
                space, output);
    }

    /**
     * Executes a plan reading the parents from any source (a file, an object in a bucket); the
     * sources are closed on return. Each parent is read once, in file order, told beforehand what.
     */
    public static void mix(ByteSource parent, ByteSource donor, MixPlan plan, SearchSpace space, Path output)
            throws IOException {
        mix(parent, donor, plan.swappedGenes(), plan.resampledGenes(), plan.shrink(), plan.perturb(), plan.seed(),
                space, output);
    }

    public static void mix(Path parent, Path donor, List<String> swappedGenes, Map<String, String> resampledGenes,
                           double shrink, double perturb, long seed, SearchSpace space, Path output)
            throws IOException {
        mix(parent, donor, swappedGenes, resampledGenes, shrink, perturb, seed, space, output, Durability.FSYNC);
    }

    /**
     * As the other file mix, with the output's durability chosen: {@link Durability#PAGE_CACHE}
     * (nothing fsynced) is only for output that is thrown away, such as a benchmark's.
     */
    public static void mix(Path parent, Path donor, List<String> swappedGenes, Map<String, String> resampledGenes,
                           double shrink, double perturb, long seed, SearchSpace space, Path output,
                           Durability durability) throws IOException {
        FileSource p = FileSource.open(parent);
        FileSource d;
        try {
            d = FileSource.open(donor);
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
        try (p; d) {
            mixOpen(p, d, swappedGenes, resampledGenes, shrink, perturb, seed, space, output, durability);
        }
    }

    public static void mix(ByteSource parent, ByteSource donor, List<String> swappedGenes,
                           Map<String, String> resampledGenes, double shrink, double perturb, long seed,
                           SearchSpace space, Path output) throws IOException {
        try (parent; donor) {
            mixOpen(parent, donor, swappedGenes, resampledGenes, shrink, perturb, seed, space, output,
                    Durability.FSYNC);
        }
    }

    private static void mixOpen(ByteSource parent, ByteSource donor, List<String> swappedGenes,
                                Map<String, String> resampledGenes, double shrink, double perturb, long seed,
                                SearchSpace space, Path output, Durability durability) throws IOException {
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
             SafetensorsReader d = SafetensorsReader.open(donor)) { // each closes its source
            Genome parentGenome = genome(p, space);
            Genome donorGenome = genome(d, space);
            List<TensorSource> sources;
            try {
                sources = ChildLayout.plan(parent.name(), p.tensors(), parentGenome, donor.name(),
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
                        throw new SafetensorsException(donor.name() + ": tensor '" + s.from().name() + "': no init "
                                + "distribution in " + CheckpointMetadata.INIT + "; the trainer must record one for "
                                + "every floating tensor so fresh weights can be drawn");
                    }
                    needed.put(s.from().name(), dist);
                }
            }
            List<TensorSpec> layout = sources.stream().map(s -> s.from().spec()).toList();
            boolean copyExactly = shrink == 1 && perturb == 0; // the "copy exactly" ablation stays bit-exact
            announceReads(p, d, sources, shrink == 0 && !copyExactly);
            List<TensorMix> computed = sources.stream()
                    .filter(s -> s.kind() == TensorSource.Kind.SHRINK_PERTURB && !copyExactly)
                    .map(s -> new TensorMix(s.from(), needed.get(s.from().name()),
                            FreshValues.tensorSeed(seed, s.from().name())))
                    .toList();
            // Copied tensors at their source's offset modulo the page cache's folios: cheaper kernel copies.
            DataAlignment alignment = CopyAlignment.best(sources,
                    s -> s.kind() == TensorSource.Kind.PARENT || s.kind() == TensorSource.Kind.DONOR
                            || (s.kind() == TensorSource.Kind.SHRINK_PERTURB && copyExactly),
                    s -> (s.kind() == TensorSource.Kind.PARENT ? p.dataStart() : d.dataStart()) + s.from().begin())
                    .orElse(null);
            try (SafetensorsWriter w = SafetensorsWriter.create(output, metadata, layout, durability, alignment);
                 MixPipeline mixed = MixPipeline.start(d, computed, shrink, perturb, CHUNK_ELEMENTS,
                         Math.min(MAX_WORKERS, Runtime.getRuntime().availableProcessors()))) {
                try (WriteBehind behind = new WriteBehind(w)) {
                    ChildWriter.write(w, sources, copyExactly, p, d, mixed, behind);
                }
                w.commit();
            }
        }
    }

    /**
     * Tells each parent's source the tensors the loop below reads from it, in its order: the
     * parent's copied tensors, the donor's copied and (unless shrink is 0) shrink-perturbed ones.
     * Zeroed tensors are never read.
     */
    private static void announceReads(SafetensorsReader p, SafetensorsReader d, List<TensorSource> sources,
                                      boolean donorMixedUnread) {
        List<TensorInfo> fromParent = new ArrayList<>();
        List<TensorInfo> fromDonor = new ArrayList<>();
        for (TensorSource s : sources) {
            switch (s.kind()) {
                case PARENT -> fromParent.add(s.from());
                case DONOR -> fromDonor.add(s.from());
                case SHRINK_PERTURB -> {
                    if (!donorMixedUnread) {
                        fromDonor.add(s.from());
                    }
                }
                case ZERO -> {
                }
            }
        }
        p.willRead(fromParent);
        d.willRead(fromDonor);
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
            throw new SafetensorsException(r.name() + ": no " + CheckpointMetadata.GENOME + " in __metadata__; "
                    + "a pbtnas checkpoint records its genome there");
        }
        try {
            return space.ordered(Genome.fromJson(json));
        } catch (IllegalArgumentException e) {
            throw new SafetensorsException(r.name() + ": " + CheckpointMetadata.GENOME + ": " + e.getMessage());
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
            throw new SafetensorsException(r.name() + ": " + e.getMessage());
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
                throw new SafetensorsException(p.name() + ": " + e.getMessage());
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
}
