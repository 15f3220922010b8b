package io.pbtnas.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.List;

/** How a replaced member's child is built: gene swaps and shrink-perturb weight inheritance. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Mixing(
        @Min(0) @Max(1)
        @JsonPropertyDescription("Probability that each gene of the child takes the donor's option (and the "
                + "donor's shrink-perturbed weights), in [0, 1]. Default 0.25.")
        Double layerSwapProbability,
        @Min(0)
        @JsonPropertyDescription("λ in w = λ·w_donor + γ·w_fresh for inherited layers. Default 0.4; "
                + "1 with perturb 0 copies exactly, 0 with perturb 1 re-initialises.")
        Double shrink,
        @Min(0)
        @JsonPropertyDescription("γ in w = λ·w_donor + γ·w_fresh for inherited layers; for the mutation "
                + "strategy, the scale of weight perturbation. Default 0.1.")
        Double perturb,
        @JsonPropertyDescription("Ablation 'no new architectures': the donor is the parent itself, so layers are "
                + "shrink-perturbed but genomes never change. Default false.")
        Boolean selfMix,
        @JsonPropertyDescription("Generations after which no member is replaced by selection (members that "
                + "failed may still be replaced). Default none.")
        List<Integer> offGenerations) {

    public static final double DEFAULT_LAYER_SWAP_PROBABILITY = 0.25;
    public static final double DEFAULT_SHRINK = 0.4;
    public static final double DEFAULT_PERTURB = 0.1;

    public Mixing {
        offGenerations = offGenerations == null ? null : List.copyOf(offGenerations);
    }

    public Mixing(Double layerSwapProbability, Double shrink, Double perturb, Boolean selfMix) {
        this(layerSwapProbability, shrink, perturb, selfMix, null);
    }

    public Mixing withDefaults() {
        return new Mixing(layerSwapProbability == null ? DEFAULT_LAYER_SWAP_PROBABILITY : layerSwapProbability,
                shrink == null ? DEFAULT_SHRINK : shrink,
                perturb == null ? DEFAULT_PERTURB : perturb,
                selfMix != null && selfMix,
                offGenerations == null ? List.of() : offGenerations);
    }

    /** True when selection-based replacement is switched off after generation g. */
    public boolean isOff(int generation) {
        return offGenerations != null && offGenerations.contains(generation);
    }
}
