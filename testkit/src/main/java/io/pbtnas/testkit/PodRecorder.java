package io.pbtnas.testkit;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every pod a watch saw, in its last seen state, deleted ones included: the operator deletes finished
 * member pods once their result is in the status, so a test that inspects them afterwards reads them here.
 */
public final class PodRecorder implements AutoCloseable {
    /** The operator's labels (io.pbtnas.operator.pods.PodLabels; testkit does not depend on the operator). */
    private static final String SEARCH = "pbtnas.io/search";
    private static final String ROLE = "pbtnas.io/role";

    private final Map<String, Pod> lastSeen = new ConcurrentHashMap<>();
    private final List<String> history = new CopyOnWriteArrayList<>();
    /** Every state the watch delivered, in its order (a deletion is recorded as the pod's last state, deleted). */
    private final List<Seen> versions = new CopyOnWriteArrayList<>();

    /** One state of a pod as the watch delivered it; {@code deleted}: the pod is gone after it. */
    public record Seen(Pod pod, boolean deleted) {}
    private final SharedIndexInformer<Pod> informer;

    private PodRecorder(KubernetesClient c, String namespace, String search) {
        var pods = c.pods().inNamespace(namespace);
        var handler = new ResourceEventHandler<Pod>() {
            @Override
            public void onAdd(Pod pod) {
                lastSeen.put(pod.getMetadata().getName(), pod);
                history.add("added " + pod.getMetadata().getName());
                versions.add(new Seen(pod, false));
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                lastSeen.put(pod.getMetadata().getName(), pod);
                versions.add(new Seen(pod, false));
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                lastSeen.put(pod.getMetadata().getName(), pod);
                history.add("deleted " + pod.getMetadata().getName());
                versions.add(new Seen(pod, true));
            }
        };
        this.informer = search == null ? pods.inform(handler, 0) : pods.withLabel(SEARCH, search).inform(handler, 0);
    }

    /** Every pod of the namespace. */
    public static PodRecorder ofNamespace(KubernetesClient c, String namespace) {
        return new PodRecorder(c, namespace, null);
    }

    /** The pods of one search. */
    public static PodRecorder ofSearch(KubernetesClient c, String namespace, String search) {
        return new PodRecorder(c, namespace, search);
    }

    /** Every pod seen, by name. */
    public List<Pod> all() {
        return lastSeen.values().stream().sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList();
    }

    /** Every pod seen with this role label (member, export, cleanup), by name. */
    public List<Pod> withRole(String role) {
        return all().stream().filter(p -> role.equals(label(p, ROLE))).toList();
    }

    /** Every pod of {@code search} seen with this role label, by name. */
    public List<Pod> withRole(String search, String role) {
        return withRole(role).stream().filter(p -> search.equals(label(p, SEARCH))).toList();
    }

    /** The pod as last seen, also after it was deleted; null if never seen. */
    public Pod get(String name) {
        return lastSeen.get(name);
    }

    /**
     * Every pod state the watch delivered, in order. One watch delivers a namespace's events in
     * resourceVersion order, so replaying them gives the states the pods went through together (it may
     * miss a short-lived state, never invent one).
     */
    public List<Seen> versions() {
        return List.copyOf(versions);
    }

    /** "added NAME" and "deleted NAME", in the order the watch saw them. */
    public List<String> history() {
        return List.copyOf(history);
    }

    private static String label(Pod p, String key) {
        Map<String, String> labels = p.getMetadata().getLabels();
        return labels == null ? null : labels.get(key);
    }

    @Override
    public void close() {
        informer.close();
    }
}
