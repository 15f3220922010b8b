package io.pbtnas.deploytests;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every pod of one search, as last seen: the operator deletes finished member pods once their result is
 * in the status, so a test that inspects them after the search reads them here.
 */
final class PodRecorder implements AutoCloseable {
    private final Map<String, Pod> lastSeen = new ConcurrentHashMap<>();
    private final SharedIndexInformer<Pod> informer;

    PodRecorder(KubernetesClient c, String namespace, String search) {
        this.informer = c.pods().inNamespace(namespace).withLabel("pbtnas.io/search", search)
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                        lastSeen.put(pod.getMetadata().getName(), pod);
                    }

                    @Override
                    public void onUpdate(Pod old, Pod pod) {
                        lastSeen.put(pod.getMetadata().getName(), pod);
                    }

                    @Override
                    public void onDelete(Pod pod, boolean finalStateUnknown) {
                        lastSeen.put(pod.getMetadata().getName(), pod);
                    }
                }, 0);
    }

    /** Every pod seen with this role label (member, export, cleanup), by name. */
    List<Pod> withRole(String role) {
        return lastSeen.values().stream().filter(p -> role.equals(p.getMetadata().getLabels().get("pbtnas.io/role")))
                .sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList();
    }

    List<Pod> all() {
        return lastSeen.values().stream().sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList();
    }

    @Override
    public void close() {
        informer.close();
    }
}
