package io.pbtnas.cli.storage;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How to reach the bucket, from the standard AWS environment: {@code AWS_ENDPOINT_URL_S3} or
 * {@code AWS_ENDPOINT_URL} (omitted: AWS itself), {@code AWS_REGION} (else the profile's, else
 * us-east-1 for a custom endpoint), path-style addressing (on by default for a custom endpoint, as
 * MinIO, Ceph RGW and versitygw need; {@code PBTNAS_S3_FORCE_PATH_STYLE=true|false} decides).
 * Credentials come from the SDK's default chain ({@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY},
 * {@code AWS_PROFILE}, web identity, the instance role) unless given here.
 */
public record S3Settings(Optional<URI> endpoint, Optional<String> region, boolean forcePathStyle,
                         Optional<StaticKeys> keys) {

    /** Fixed credentials (tests, or a caller that has them); empty means the SDK's default chain. */
    public record StaticKeys(String accessKeyId, String secretAccessKey) {
        @Override
        public String toString() {
            return "StaticKeys[" + accessKeyId + ", secret hidden]";
        }
    }

    public static S3Settings fromEnvironment(Map<String, String> env) {
        Optional<URI> endpoint = firstSet(env, "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL").map(S3Settings::endpointUrl);
        Optional<String> region = firstSet(env, "AWS_REGION", "AWS_DEFAULT_REGION");
        boolean pathStyle = endpoint.isPresent();
        String forced = env.get("PBTNAS_S3_FORCE_PATH_STYLE");
        if (forced != null && !forced.isBlank()) {
            pathStyle = switch (forced.strip().toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException("PBTNAS_S3_FORCE_PATH_STYLE: '" + forced
                        + "' must be true or false");
            };
        }
        return new S3Settings(endpoint, region, pathStyle, Optional.empty());
    }

    /** A custom endpoint with fixed keys, e.g. a test's gateway. */
    public static S3Settings of(URI endpoint, String region, String accessKeyId, String secretAccessKey) {
        return new S3Settings(Optional.of(endpoint), Optional.of(region), true,
                Optional.of(new StaticKeys(accessKeyId, secretAccessKey)));
    }

    private static Optional<String> firstSet(Map<String, String> env, String... names) {
        for (String n : names) {
            String v = env.get(n);
            if (v != null && !v.isBlank()) {
                return Optional.of(v.strip());
            }
        }
        return Optional.empty();
    }

    private static URI endpointUrl(String text) {
        URI u;
        try {
            u = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("AWS_ENDPOINT_URL: '" + text + "' is not a URL: " + e.getMessage(), e);
        }
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
            throw new IllegalArgumentException("AWS_ENDPOINT_URL: '" + text + "' must be an http:// or https:// URL");
        }
        return u;
    }
}
