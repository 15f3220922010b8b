package io.pbtnas.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;

/** How a member slot got its network at the start of a generation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LineageEntry(
        @JsonPropertyDescription("The generation the member started with this network.")
        Integer generation,
        @JsonPropertyDescription("initial (random genome, trained from scratch), mix (pbt-nas child), mutation "
                + "(perturbed or resampled copy), copy (exact copy of a parent).")
        Kind kind,
        @JsonPropertyDescription("Member whose checkpoint of the previous generation the child starts from.")
        Integer parent,
        @JsonPropertyDescription("Member whose layers were inherited for the swapped genes.")
        Integer donor,
        @JsonPropertyDescription("Genes that took the donor's option and shrink-perturbed weights.")
        List<String> swappedGenes,
        @JsonPropertyDescription("Genes given a new random option with fresh weights (mutation), gene → option.")
        Map<String, String> resampledGenes,
        @JsonPropertyDescription("λ used for the swapped genes.")
        Double shrink,
        @JsonPropertyDescription("γ used for the swapped genes.")
        Double perturb,
        @JsonPropertyDescription("Seed of the fresh weights.")
        Long seed) {

    public enum Kind {
        @JsonProperty("initial") INITIAL,
        @JsonProperty("mix") MIX,
        @JsonProperty("mutation") MUTATION,
        @JsonProperty("copy") COPY
    }

    public LineageEntry {
        swappedGenes = swappedGenes == null ? null : List.copyOf(swappedGenes);
        resampledGenes = resampledGenes == null ? null : Map.copyOf(resampledGenes);
    }

    public static LineageEntry initial(int generation) {
        return new LineageEntry(generation, Kind.INITIAL, null, null, null, null, null, null, null);
    }
}
