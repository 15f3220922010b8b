package io.pbtnas.deploytests;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pbtnas.cli.storage.S3Clients;
import io.pbtnas.cli.storage.S3Objects;
import io.pbtnas.cli.storage.S3Settings;
import io.pbtnas.testkit.s3.S3Endpoint;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the real-node bucket test does as a user would: make the bucket, and run `pbtnas eval s3://…` in a pod. */
final class BucketPod {
    static final String READER = "pbtnas-s3-reader";

    private BucketPod() {
    }

    static void createBucket(S3Endpoint s3, String bucket) throws IOException {
        try (S3Objects objects = S3Objects.of(S3Settings.of(s3.url(), s3.region(), s3.accessKeyId(),
                s3.secretAccessKey()))) {
            objects.createBucket(bucket);
        }
    }

    /** {@code pbtnas eval --json LOCATION} in {@code image}, the keys from {@code secret}; the score it prints. */
    static double evalScore(KubernetesClient c, String image, S3Endpoint s3, String location, String secret)
            throws Exception {
        c.pods().withName(READER).delete();
        c.pods().withName(READER).waitUntilCondition(p -> p == null, 1, TimeUnit.MINUTES);
        Pod reader = new PodBuilder().withNewMetadata().withName(READER).endMetadata()
                .withNewSpec().withRestartPolicy("Never")
                    .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(1001L).withRunAsGroup(1001L)
                        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
                    .addNewContainer().withName("reader").withImage(image).withImagePullPolicy("IfNotPresent")
                        .withCommand("pbtnas", "eval", "--json", location)
                        .withEnv(new EnvVar("AWS_ENDPOINT_URL", s3.url().toString(), null),
                                new EnvVar("AWS_REGION", s3.region(), null),
                                secretRef("AWS_ACCESS_KEY_ID", secret), secretRef("AWS_SECRET_ACCESS_KEY", secret))
                        .withNewSecurityContext().withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                            .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
                        .withNewResources().addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("500m"))
                            .addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("1536Mi")).endResources()
                        .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                    .endContainer()
                    .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec().build();
        c.pods().resource(reader).create();
        Pod done = c.pods().withName(READER).waitUntilCondition(p -> p != null && p.getStatus() != null
                && List.of("Succeeded", "Failed").contains(p.getStatus().getPhase()), 5, TimeUnit.MINUTES);
        String log = c.pods().withName(READER).getLog();
        if (!"Succeeded".equals(done.getStatus().getPhase())) {
            throw new AssertionError("pbtnas eval " + location + " failed:\n" + log);
        }
        String[] lines = log.strip().split("\n");
        JsonNode metrics = Manifests.YAML.readTree(lines[lines.length - 1]);
        JsonNode score = metrics.has("validationAccuracy") ? metrics.path("validationAccuracy") : metrics.path("score");
        c.pods().withName(READER).delete();
        return score.asDouble();
    }

    private static EnvVar secretRef(String name, String secret) {
        return new EnvVar(name, null, new EnvVarSourceBuilder()
                .withSecretKeyRef(new SecretKeySelector(name, secret, false)).build());
    }
}
