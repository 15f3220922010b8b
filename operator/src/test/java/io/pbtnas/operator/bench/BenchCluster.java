package io.pbtnas.operator.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pbtnas.operator.it.Harness;
import io.pbtnas.operator.it.KubeApiServerResource;
import io.pbtnas.testkit.TestApiServer;
import io.pbtnas.testkit.kubelet.Launcher;
import io.pbtnas.testkit.kubelet.TestKubelet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * One namespace on the real test API server, with a test kubelet whose containers finish at once:
 * the benchmark measures the operator, not training or mixing.
 * <ul>
 * <li>{@code pbtnas/bench-trainer:*}: {@code sh} writes a contract-valid {@code {"score": 0.<seed>}} to
 * {@code $PBTNAS_TERMINATION_LOG} and exits 0 (the score differs per member and generation, so PBT
 * selection has something to select on);
 * <li>{@code pbtnas/operator:*} ({@code pbtnas mix} init containers, the {@code pbtnas export} pod):
 * {@code true}. No checkpoints are written or mixed.
 * </ul>
 */
final class BenchCluster implements AutoCloseable {
    static final String TRAINER_IMAGE = "pbtnas/bench-trainer:1";

    final String namespace;
    final RequestCounter kubeletRequests = new RequestCounter();
    final RequestCounter benchRequests = new RequestCounter();
    /** The benchmark's own client (creating searches, watching); its requests are counted apart. */
    final KubernetesClient client;
    private final KubernetesClient kubeletClient;
    private final Path root;
    private TestKubelet kubelet;

    BenchCluster(String name) throws Exception {
        installCrd();
        namespace = "bench-" + name + "-" + UUID.randomUUID().toString().substring(0, 6);
        client = countingClient(namespace, benchRequests);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
                .build()).create();
        root = Files.createTempDirectory("pbtnas-bench-");
        kubeletClient = countingClient(namespace, kubeletRequests);
        kubelet = TestKubelet.builder(kubeletClient)
                .namespace(namespace)
                .root(root)
                .cpu("1000000").memory("100Ti").maxPods(1_000_000)
                .maxGracePeriod(Duration.ofSeconds(1))
                .image("pbtnas/bench-trainer:*", scoreWriter())
                .image("pbtnas/operator:*", c -> List.of("/bin/true"))
                .start();
    }

    static Launcher scoreWriter() {
        return c -> List.of("/bin/sh", "-c",
                "printf '{\"score\": 0.%s}' \"$PBTNAS_SEED\" > \"$PBTNAS_TERMINATION_LOG\"");
    }

    /** The committed CRD, installed as the operator tests install it (idempotent). */
    static void installCrd() {
        new KubeApiServerResource().start();
    }

    static KubernetesClient countingClient(String namespace, RequestCounter counter) {
        Config config = TestApiServer.shared().clientConfig();
        config.setNamespace(namespace);
        return new KubernetesClientBuilder().withConfig(config)
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("pbtnas-bench-count", counter))
                .build();
    }

    /** A search whose pods all fit at once (parallelism = population): the integration tests' manifest. */
    static String searchYaml(String name, int population, int generations) {
        return Harness.searchYaml(name, TRAINER_IMAGE, population, generations, "{}",
                "  parallelism: " + population + "\n");
    }

    /** Stops the kubelet (kills nothing: every pod has ended by then) so its caches can be collected. */
    void stopKubelet() {
        if (kubelet != null) {
            kubelet.close();
            kubelet = null;
            kubeletClient.close();
        }
    }

    @Override
    public void close() {
        stopKubelet();
        client.close();
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // a temp directory
        }
    }
}
