package io.pbtnas.core.engine;

import java.util.List;
import java.util.Map;

/**
 * How to build a child checkpoint; one mixer ({@code ShrinkPerturb}) executes every strategy's plan.
 * Child = parent's tensors, except: tensors owned by {@code swappedGenes} come from the donor as
 * {@code shrink·donor + perturb·fresh} (the child takes the donor's option), and tensors owned by
 * {@code resampledGenes} (gene → new option, mutation) are left out so the trainer initialises
 * them fresh. Paths are relative to the search root. A copy is swapped = [] ; a weight
 * perturbation is donor = parent, all genes swapped, shrink 1.
 */
public record MixPlan(int parent, int donor, List<String> swappedGenes, double shrink, double perturb, long seed,
                      String parentCheckpoint, String donorCheckpoint, String output,
                      Map<String, String> resampledGenes) {

    public MixPlan {
        swappedGenes = List.copyOf(swappedGenes);
        resampledGenes = resampledGenes == null ? Map.of() : Map.copyOf(resampledGenes);
    }

    public MixPlan(int parent, int donor, List<String> swappedGenes, double shrink, double perturb, long seed,
                   String parentCheckpoint, String donorCheckpoint, String output) {
        this(parent, donor, swappedGenes, shrink, perturb, seed, parentCheckpoint, donorCheckpoint, output, Map.of());
    }
}
