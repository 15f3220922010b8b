package io.pbtnas.core.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** When members are judged: at a generation barrier (the paper) or each on finishing its own step. */
public enum Schedule {
    /** Every member trains generation g, then all are ranked together (the paper). */
    @JsonProperty("synchronous") SYNCHRONOUS("synchronous"),
    /** No barrier: a member finishing step k is ranked against the step-k scores known then (DESIGN §4). */
    @JsonProperty("asynchronous") ASYNCHRONOUS("asynchronous");

    private final String code;

    Schedule(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
