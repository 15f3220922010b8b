package io.pbtnas.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** Where checkpoints live, and what happens to them when the search is deleted. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StorageSpec(
        @JsonPropertyDescription("The shared volume mounted by every trainer pod. Exactly one of "
                + "persistentVolumeClaim and s3.")
        PvcRef persistentVolumeClaim,
        @JsonPropertyDescription("retain (default) keeps the checkpoints when the search is deleted; delete "
                + "removes the search's directory.")
        Retention retention,
        @Min(1)
        @JsonPropertyDescription("Keep only the checkpoints of the last K generations every member has finished "
                + "(at least the ones later steps still read), plus the best network's lineage and each member's "
                + "latest; older members/<m>/gen-<g>/ folders are deleted as the search goes on. Default: keep all.")
        Integer keepGenerations,
        @JsonPropertyDescription("A bucket on an S3-compatible store instead of a volume (AWS S3, GCS through its "
                + "S3 interoperability, Ceph RGW, MinIO). Exactly one of persistentVolumeClaim and s3.")
        S3Storage s3) {

    /** Storage without a keepGenerations limit. */
    public StorageSpec(PvcRef persistentVolumeClaim, Retention retention) {
        this(persistentVolumeClaim, retention, null, null);
    }

    /** Storage on a volume. */
    public StorageSpec(PvcRef persistentVolumeClaim, Retention retention, Integer keepGenerations) {
        this(persistentVolumeClaim, retention, keepGenerations, null);
    }

    public enum Retention {
        @JsonProperty("retain") RETAIN,
        @JsonProperty("delete") DELETE
    }
}
