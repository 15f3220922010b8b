package io.pbtnas.cli.storage;

import io.pbtnas.core.validation.StorageRules;

/**
 * An object or a key prefix in a bucket: {@code s3://bucket/key}. The key never starts with '/'
 * and has no empty, '.' or '..' segments, so a relative path resolved under it cannot escape it.
 */
public record S3Location(String bucket, String key) implements Location {
    public static final String SCHEME = "s3://";

    public S3Location {
        String problem = StorageRules.bucketNameProblem(bucket);
        if (problem != null) {
            throw new IllegalArgumentException("bucket '" + bucket + "': " + problem);
        }
        key = key == null ? "" : key;
        for (String part : key.split("/", -1)) {
            if (key.isEmpty()) {
                break;
            }
            if (part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException(SCHEME + bucket + "/" + key + ": '" + part + "' is not allowed in a key");
            }
        }
        if (key.startsWith("/") || key.contains("//")) {
            throw new IllegalArgumentException(SCHEME + bucket + "/" + key + ": a key has no empty parts (no '//')");
        }
    }

    public static boolean isS3(String text) {
        return text.startsWith(SCHEME);
    }

    public static S3Location parse(String text) {
        if (!isS3(text)) {
            throw new IllegalArgumentException("'" + text + "' is not an s3://bucket/key location");
        }
        String rest = text.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        return slash < 0 ? new S3Location(rest, "") : new S3Location(rest.substring(0, slash), rest.substring(slash + 1));
    }

    /** The key below this one: {@code relative} is a '/'-separated path without '..' or a leading '/'. */
    public S3Location resolve(String relative) {
        String r = relative.endsWith("/") ? relative.substring(0, relative.length() - 1) : relative;
        if (r.isEmpty()) {
            return this;
        }
        return new S3Location(bucket, prefix() + r);
    }

    /** The key as a folder prefix: empty, or ending in '/'. */
    public String prefix() {
        return key.isEmpty() || key.endsWith("/") ? key : key + "/";
    }

    /** The last part of the key ("" for the bucket itself). */
    public String fileName() {
        String k = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
        return k.substring(k.lastIndexOf('/') + 1);
    }

    @Override
    public String toString() {
        return SCHEME + bucket + "/" + key;
    }
}
