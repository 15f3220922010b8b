package io.pbtnas.core.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the population evolves between generations. */
public enum Strategy {
    /** Replace the worst by shrink-perturb mixes of two good members (the paper's method). */
    @JsonProperty("pbt-nas") PBT_NAS("pbt-nas"),
    /** SEARL-like: copy a top member and maybe perturb its weights or resample one gene. */
    @JsonProperty("mutation") MUTATION("mutation"),
    /** Random architectures trained for the whole budget, never replaced. */
    @JsonProperty("random") RANDOM("random");

    private final String code;

    Strategy(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** Whether the strategy replaces members between generations. */
    public boolean replaces() {
        return this != RANDOM;
    }
}
