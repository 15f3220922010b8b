package io.pbtnas.operator.it;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.pbtnas.testkit.kueue.TestKueue;
import java.util.List;
import java.util.Map;

/** Kueue's queues for a {@link Harness} namespace, for the Kueue tests and the schedule benchmark. */
public final class KueueQueues {
    private KueueQueues() {}

    public static final String QUEUE = "gpus";

    /** A ResourceFlavor and ClusterQueue named after the namespace (cluster-scoped), and LocalQueue "gpus" in it. */
    public static void create(Harness h, int gpus) {
        h.client.resource(TestKueue.kueue("ResourceFlavor", h.namespace, Map.of())).create();
        h.client.resource(TestKueue.kueue("ClusterQueue", h.namespace, Map.of(
                "namespaceSelector", Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", h.namespace)),
                "resourceGroups", List.of(Map.of(
                        "coveredResources", List.of("cpu", "memory", "nvidia.com/gpu"),
                        "flavors", List.of(Map.of("name", h.namespace, "resources", List.of(
                                Map.of("name", "cpu", "nominalQuota", "64"),
                                Map.of("name", "memory", "nominalQuota", "256Gi"),
                                Map.of("name", "nvidia.com/gpu", "nominalQuota", Integer.toString(gpus)))))))))).create();
        GenericKubernetesResource lq = TestKueue.kueue("LocalQueue", QUEUE, Map.of("clusterQueue", h.namespace));
        lq.getMetadata().setNamespace(h.namespace);
        h.client.resource(lq).create();
    }

    public static void delete(Harness h) {
        h.client.genericKubernetesResources(TestKueue.API_VERSION, "ClusterQueue").withName(h.namespace).delete();
        h.client.genericKubernetesResources(TestKueue.API_VERSION, "ResourceFlavor").withName(h.namespace).delete();
    }
}
