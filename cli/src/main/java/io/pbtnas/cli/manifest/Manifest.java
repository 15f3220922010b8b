package io.pbtnas.cli.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import io.pbtnas.core.model.SearchSpec;

/**
 * A PbtNasSearch resource exactly as a user applies it to a cluster. Only
 * {@code spec} matters locally; {@code status} is accepted (a copy of a live
 * resource may carry one) and ignored.
 */
public record Manifest(String apiVersion, String kind, Metadata metadata, SearchSpec spec, JsonNode status) {
    public static final String API_VERSION = "pbtnas.io/v1alpha1";
    public static final String KIND = "PbtNasSearch";

    /** Kubernetes object metadata: name is used, the rest (labels, annotations, ...) is accepted and ignored. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Metadata(String name, String namespace) {
    }

    public String name() {
        return metadata == null ? null : metadata.name();
    }
}
