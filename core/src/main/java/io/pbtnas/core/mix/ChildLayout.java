package io.pbtnas.core.mix;

import io.pbtnas.core.checkpoint.CheckpointMetadata;
import io.pbtnas.core.safetensors.TensorInfo;
import io.pbtnas.core.space.Gene;
import io.pbtnas.core.space.Genome;
import io.pbtnas.core.space.SearchSpace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, without I/O, which tensors the child has and where each comes from: the parent's
 * tensors not owned by swapped or resampled genes, then the donor's tensors owned by swapped
 * genes. Resampled genes' tensors are left out (the trainer initialises them fresh).
 */
final class ChildLayout {
    private ChildLayout() {
    }

    static List<TensorSource> plan(String parentName, List<TensorInfo> parent, Genome parentGenome,
                                   String donorName, List<TensorInfo> donor, Genome donorGenome,
                                   Set<String> swapped, Set<String> resampled, SearchSpace space) {
        List<TensorSource> out = new ArrayList<>();
        Map<String, List<TensorInfo>> parentByGene = new LinkedHashMap<>();
        for (TensorInfo t : parent) {
            Optional<Gene> owner = space.ownerOf(t.name());
            String gene = owner.map(Gene::name).orElse(null);
            if (gene != null && (swapped.contains(gene) || resampled.contains(gene))) {
                if (!CheckpointMetadata.isOptimizerState(t.name())) {
                    parentByGene.computeIfAbsent(gene, k -> new ArrayList<>()).add(t);
                }
                continue;
            }
            out.add(new TensorSource(t, TensorSource.Kind.PARENT));
        }
        Map<String, List<TensorInfo>> donorByGene = new LinkedHashMap<>();
        for (TensorInfo t : donor) {
            Optional<Gene> owner = space.ownerOf(t.name());
            if (owner.isEmpty() || !swapped.contains(owner.get().name())) {
                continue;
            }
            if (!CheckpointMetadata.isOptimizerState(t.name())) { // optimizer slots may differ; they are reset
                donorByGene.computeIfAbsent(owner.get().name(), k -> new ArrayList<>()).add(t);
            }
            TensorSource.Kind kind = CheckpointMetadata.isOptimizerState(t.name()) ? TensorSource.Kind.ZERO
                    : t.dtype().isFloating() ? TensorSource.Kind.SHRINK_PERTURB : TensorSource.Kind.DONOR;
            out.add(new TensorSource(t, kind));
        }
        for (String gene : swapped) {
            if (parentGenome.get(gene).equals(donorGenome.get(gene))) {
                sameTensors(gene, parentGenome.get(gene), parentName, parentByGene.getOrDefault(gene, List.of()),
                        donorName, donorByGene.getOrDefault(gene, List.of()));
            }
        }
        return out;
    }

    /** With the same option the gene's tensors must agree, or the checkpoints come from different models. */
    private static void sameTensors(String gene, String option, String parentName, List<TensorInfo> p,
                                    String donorName, List<TensorInfo> d) {
        Map<String, TensorInfo> byName = new LinkedHashMap<>();
        p.forEach(t -> byName.put(t.name(), t));
        for (TensorInfo t : d) {
            TensorInfo q = byName.remove(t.name());
            if (q == null) {
                throw new IllegalArgumentException("tensor '" + t.name() + "' of gene '" + gene + "' (option '" + option
                        + "') is in the donor " + donorName + " but missing from the parent " + parentName);
            }
            if (q.dtype() != t.dtype() || !Arrays.equals(q.shape(), t.shape())) {
                throw new IllegalArgumentException("shape conflict for tensor '" + t.name() + "' of gene '" + gene
                        + "' (option '" + option + "' in both): parent " + parentName + " has " + q.dtype().code()
                        + Arrays.toString(q.shape()) + ", donor " + donorName + " has " + t.dtype().code()
                        + Arrays.toString(t.shape()) + "; both checkpoints must come from the same model code");
            }
        }
        if (!byName.isEmpty()) {
            throw new IllegalArgumentException("tensor '" + byName.keySet().iterator().next() + "' of gene '" + gene
                    + "' (option '" + option + "') is in the parent " + parentName + " but missing from the donor "
                    + donorName);
        }
    }
}
