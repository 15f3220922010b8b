package io.pbtnas.cli.storage;

import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;

/** Builds the one kind of S3 client pbtnas uses: sync, over the JDK's HTTP client, no natives. */
public final class S3Clients {
    private static final Region FALLBACK_REGION = Region.US_EAST_1;

    private S3Clients() {
    }

    public static S3Client create(S3Settings s) {
        return create(s, List.of());
    }

    /** With interceptors that observe each call (tests use one to stop the server at a known point). */
    public static S3Client create(S3Settings s, List<ExecutionInterceptor> interceptors) {
        var b = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60)))
                // From SDK 2.30 the default adds CRC checksums as aws-chunked trailers to every upload, which
                // many S3-compatible stores refuse or mis-store; only send/check them where S3 requires it.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .forcePathStyle(s.forcePathStyle())
                // the standard mode: exponential backoff with jitter, throttling and 5xx retried, 3 attempts
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy())
                        .executionInterceptors(interceptors))
                .region(region(s));
        s.endpoint().ifPresent(b::endpointOverride);
        b.credentialsProvider(s.keys().<software.amazon.awssdk.auth.credentials.AwsCredentialsProvider>map(k ->
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(k.accessKeyId(), k.secretAccessKey())))
                .orElseGet(() -> DefaultCredentialsProvider.builder().build()));
        return b.build();
    }

    private static Region region(S3Settings s) {
        if (s.region().isPresent()) {
            return Region.of(s.region().get());
        }
        try {
            if (s.endpoint().isPresent()) {
                // the profile's region if it has one; never the instance metadata (a laptop would wait on it)
                return new AwsProfileRegionProvider().getRegion();
            }
            return DefaultAwsRegionProviderChain.builder().build().getRegion(); // profile, then instance metadata
        } catch (RuntimeException e) {
            if (s.endpoint().isPresent()) {
                return FALLBACK_REGION; // S3-compatible stores mostly ignore it, but SigV4 signs with one
            }
            throw new IllegalArgumentException("no AWS region: set AWS_REGION (or a region in the AWS_PROFILE's config)",
                    e);
        }
    }
}
