package io.pbtnas.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** How a child explores the hyperparameters it inherited from its parent (Ray Tune's PBT explore). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Explore(
        @Min(0) @Max(1)
        @JsonPropertyDescription("Probability that a child draws a hyperparameter afresh from its prior instead of "
                + "perturbing the parent's value, in [0, 1]. Default 0.25.")
        Double resampleProbability,
        @Size(min = 1)
        @JsonPropertyDescription("Factors a continuous value is multiplied by (one picked uniformly, then clamped to "
                + "the range); a choice moves to a neighbouring value instead. Positive. Default [0.8, 1.2].")
        List<Double> perturbationFactors) {

    public static final double DEFAULT_RESAMPLE_PROBABILITY = 0.25;
    public static final List<Double> DEFAULT_PERTURBATION_FACTORS = List.of(0.8, 1.2);

    public Explore {
        perturbationFactors = perturbationFactors == null ? null
                : Collections.unmodifiableList(new ArrayList<>(perturbationFactors));
    }

    public Explore withDefaults() {
        return new Explore(resampleProbability == null ? DEFAULT_RESAMPLE_PROBABILITY : resampleProbability,
                perturbationFactors == null ? DEFAULT_PERTURBATION_FACTORS : perturbationFactors);
    }
}
