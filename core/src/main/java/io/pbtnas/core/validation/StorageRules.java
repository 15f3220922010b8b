package io.pbtnas.core.validation;

import io.pbtnas.core.model.S3Storage;
import io.pbtnas.core.model.StorageSpec;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code spec.storage}: exactly one back end, and an S3 bucket that a client can reach as written.
 * Also the one place S3's bucket naming rule lives (the cli's {@code s3://} parser uses it). Pure.
 */
public final class StorageRules {
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IP = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");

    private StorageRules() {
    }

    /** What is wrong with a bucket name by S3's rules, or null. */
    public static String bucketNameProblem(String bucket) {
        if (bucket == null || bucket.isEmpty()) {
            return "required: the bucket's name";
        }
        if (!BUCKET.matcher(bucket).matches() || bucket.contains("..") || IP.matcher(bucket).matches()) {
            return "'" + bucket + "' is not a valid S3 bucket name (3-63 characters of a-z, 0-9, '.' and '-', starting"
                    + " and ending with a letter or digit, no '..', not an IP address)";
        }
        return null;
    }

    public static List<String> problems(StorageSpec storage) {
        List<String> out = new ArrayList<>();
        if (storage == null) {
            return out;
        }
        if (storage.persistentVolumeClaim() != null && storage.s3() != null) {
            out.add("spec.storage: give exactly one of persistentVolumeClaim and s3, not both");
        }
        if (storage.s3() != null) {
            s3(storage.s3(), out);
        }
        return out;
    }

    private static void s3(S3Storage s3, List<String> out) {
        String bucket = bucketNameProblem(s3.bucket());
        if (bucket != null) {
            out.add("spec.storage.s3.bucket: " + bucket);
        }
        String prefix = s3.prefix();
        if (prefix != null && !prefix.isEmpty() && (prefix.startsWith("/") || prefix.contains("//")
                || ("/" + prefix + "/").contains("/../") || ("/" + prefix + "/").contains("/./"))) {
            out.add("spec.storage.s3.prefix: '" + prefix + "' must be a key prefix like searches/team-a: no leading "
                    + "'/', no empty, '.' or '..' parts");
        }
        if (s3.endpoint() != null) {
            URI u = null;
            try {
                u = URI.create(s3.endpoint());
            } catch (IllegalArgumentException e) {
                // reported below
            }
            if (u == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null
                    || (u.getPath() != null && !u.getPath().isEmpty() && !u.getPath().equals("/"))
                    || u.getQuery() != null) {
                out.add("spec.storage.s3.endpoint: '" + s3.endpoint() + "' must be an https:// or http:// URL of the "
                        + "server, e.g. https://storage.googleapis.com or http://minio.storage:9000 (no path)");
            }
        }
        if (s3.region() != null && !s3.region().matches("[a-z0-9-]{1,63}")) {
            out.add("spec.storage.s3.region: '" + s3.region() + "' is not a region name like eu-west-1");
        }
        S3Storage.S3Credentials c = s3.credentialsSecret();
        if (c != null) {
            if (c.name() == null || !c.name().matches("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?")) {
                out.add("spec.storage.s3.credentialsSecret.name: " + (c.name() == null ? "required" : "'" + c.name()
                        + "' is not a Secret name") + " (a Secret in the search's namespace)");
            }
            key(c.accessKeyIdKey(), "accessKeyIdKey", out);
            key(c.secretAccessKeyKey(), "secretAccessKeyKey", out);
        }
    }

    private static void key(String key, String field, List<String> out) {
        if (key != null && !key.matches("[-._a-zA-Z0-9]{1,253}")) {
            out.add("spec.storage.s3.credentialsSecret." + field + ": '" + key + "' is not a Secret data key "
                    + "(letters, digits, '-', '_', '.')");
        }
    }
}
