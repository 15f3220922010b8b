package io.pbtnas.testkit.s3;

import java.net.URI;
import java.util.Map;

/**
 * How a client reaches a test S3 server: its URL, root credentials and region (any region
 * works with versitygw; clients must sign with the one given here and use path-style addressing).
 */
public record S3Endpoint(URI url, String accessKeyId, String secretAccessKey, String region) {

  /** The standard AWS environment for a child process (e.g. {@code pbtnas eval s3://...}). */
  public Map<String, String> awsEnvironment() {
    return Map.of(
        "AWS_ENDPOINT_URL", url.toString(),
        "AWS_ACCESS_KEY_ID", accessKeyId,
        "AWS_SECRET_ACCESS_KEY", secretAccessKey,
        "AWS_REGION", region);
  }
}
