package io.pbtnas.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Which members are replaced and which may be parents. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Selection(
        @Min(value = 0, inclusive = false) @Max(value = 1, inclusive = false)
        @JsonPropertyDescription("Fraction of the population replaced after each generation (the worst ones), "
                + "in (0, 1); at least one member. Default 0.25.")
        Double replaceFraction,
        @Min(value = 0, inclusive = false) @Max(1)
        @JsonPropertyDescription("Fraction of the population (the best ones) that parents are drawn from, "
                + "in (0, 1]; at least 2 members for pbt-nas. Default 0.25.")
        Double parentFraction) {

    public static final double DEFAULT_REPLACE_FRACTION = 0.25;
    public static final double DEFAULT_PARENT_FRACTION = 0.25;

    public Selection withDefaults() {
        return new Selection(replaceFraction == null ? DEFAULT_REPLACE_FRACTION : replaceFraction,
                parentFraction == null ? DEFAULT_PARENT_FRACTION : parentFraction);
    }
}
