package io.pbtnas.operator.apply;

import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The pod writes {@link PodWriter} has sent in the background and the informer cache may not show yet,
 * per search: pods being created (they hold a parallelism slot and must not be planned twice) and pods
 * whose delete was sent (not sent again while the cache still shows them finished). In memory only,
 * and safe to lose: a restarted operator sees the pods that exist and plans the rest again.
 */
public final class PendingWrites {
    private final Map<ResourceID, Map<String, Pod>> creating = new ConcurrentHashMap<>();
    private final Map<ResourceID, Set<String>> deleted = new ConcurrentHashMap<>();

    /**
     * The search's pods as a reconcile sees them: the cache's, plus those being created that it lacks.
     * Pending creates are read before the cache: a create ends by putting its pod in the cache, then
     * leaves this list, so a pod is always in one or the other.
     */
    public List<Pod> observe(ResourceID search, Supplier<Collection<Pod>> cache) {
        List<Pod> pending = List.copyOf(creating.getOrDefault(search, Map.of()).values());
        Collection<Pod> cached = cache.get();
        forgetGone(search, cached);
        if (pending.isEmpty()) {
            return List.copyOf(cached); // most reconciles: nothing in flight, no merge by name
        }
        Map<String, Pod> byName = new LinkedHashMap<>();
        pending.forEach(p -> byName.put(p.getMetadata().getName(), p));
        cached.forEach(p -> byName.put(p.getMetadata().getName(), p));
        return List.copyOf(byName.values());
    }

    void creating(ResourceID search, Pod pod) {
        creating.computeIfAbsent(search, k -> new ConcurrentHashMap<>()).put(pod.getMetadata().getName(), pod);
    }

    void created(ResourceID search, Pod pod) {
        creating.computeIfPresent(search, (k, pods) -> {
            pods.remove(pod.getMetadata().getName());
            return pods.isEmpty() ? null : pods;
        });
    }

    /** Marks the pod's delete as sent; false when it was sent already (and the cache still shows the pod). */
    boolean deleting(ResourceID search, Pod pod) {
        return deleted.computeIfAbsent(search, k -> ConcurrentHashMap.newKeySet()).add(pod.getMetadata().getName());
    }

    /** A delete that failed: the next reconcile plans it again. */
    void deleteFailed(ResourceID search, Pod pod) {
        Set<String> names = deleted.get(search);
        if (names != null) {
            names.remove(pod.getMetadata().getName());
        }
    }

    /** A sent delete is done with once the cache shows the pod gone or terminating. */
    private void forgetGone(ResourceID search, Collection<Pod> cached) {
        Set<String> names = deleted.get(search);
        if (names == null) {
            return;
        }
        Set<String> stillFinished = new HashSet<>();
        for (Pod p : cached) {
            if (p.getMetadata().getDeletionTimestamp() == null) {
                stillFinished.add(p.getMetadata().getName());
            }
        }
        names.retainAll(stillFinished);
        deleted.computeIfPresent(search, (k, v) -> v.isEmpty() ? null : v);
    }

    /** The search is gone: nothing of it is kept. */
    public void forget(ResourceID search) {
        creating.remove(search);
        deleted.remove(search);
    }
}
