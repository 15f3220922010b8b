package io.pbtnas.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * A bucket on an S3-compatible store holding the checkpoints, instead of a ReadWriteMany volume.
 * Keys mirror the volume layout: {@code <prefix>/<namespace>/<search>-<uid8>/members/<m>/gen-<g>/...}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record S3Storage(
        @Required
        @JsonPropertyDescription("The bucket (S3 naming rules: 3-63 characters of a-z, 0-9, '.', '-').")
        String bucket,
        @JsonPropertyDescription("Key prefix every search key starts with, e.g. searches (no leading '/').")
        String prefix,
        @JsonPropertyDescription("The S3 endpoint URL, http:// or https://, e.g. https://storage.googleapis.com or "
                + "http://minio.storage:9000. Omitted: AWS S3.")
        String endpoint,
        @JsonPropertyDescription("The region requests are signed for, e.g. eu-west-1. Omitted: the SDK's default "
                + "(us-east-1 with an endpoint).")
        String region,
        @JsonPropertyDescription("Address the bucket in the path (endpoint/bucket/key), as MinIO and Ceph RGW need. "
                + "Default: true with an endpoint, false for AWS.")
        Boolean forcePathStyle,
        @JsonPropertyDescription("A Secret in the search's namespace with the access key; only the containers that "
                + "talk to the bucket get it, never the trainer. Omitted: the SDK's default chain (web identity for "
                + "EKS IRSA or pod identity through trainer.serviceAccountName, or the node's role).")
        S3Credentials credentialsSecret) {

    /** The Secret holding an access key pair, by the keys of its data. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record S3Credentials(
            @Required
            @JsonPropertyDescription("The Secret's name.")
            String name,
            @JsonPropertyDescription("The data key of the access key id. Default: AWS_ACCESS_KEY_ID.")
            String accessKeyIdKey,
            @JsonPropertyDescription("The data key of the secret access key. Default: AWS_SECRET_ACCESS_KEY.")
            String secretAccessKeyKey) {
    }

    /** {@code s3://<bucket>/<prefix>/<searchFolder>}: a search's root in the bucket, as the volume's folder is. */
    public String searchRoot(String searchFolder) {
        String p = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
        return "s3://" + bucket + "/" + (p.isEmpty() ? "" : p + "/") + searchFolder;
    }

    /** Where the pods' keys come from, for a message (never the keys themselves). */
    public String credentialsDescription() {
        return credentialsSecret == null
                ? "the SDK's default chain (no spec.storage.s3.credentialsSecret)"
                : "Secret " + credentialsSecret.name() + ", keys " + accessKeyIdKey(credentialsSecret) + " and "
                        + secretAccessKeyKey(credentialsSecret);
    }

    /** The Secret's data key of the access key id, defaulted. */
    public static String accessKeyIdKey(S3Credentials c) {
        return c.accessKeyIdKey() == null || c.accessKeyIdKey().isBlank() ? "AWS_ACCESS_KEY_ID" : c.accessKeyIdKey();
    }

    /** The Secret's data key of the secret access key, defaulted. */
    public static String secretAccessKeyKey(S3Credentials c) {
        return c.secretAccessKeyKey() == null || c.secretAccessKeyKey().isBlank() ? "AWS_SECRET_ACCESS_KEY"
                : c.secretAccessKeyKey();
    }
}
