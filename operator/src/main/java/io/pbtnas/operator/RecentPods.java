package io.pbtnas.operator;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Read-your-own-writes over the informer cache. The reconciler reads pods from the cache (no LIST per
 * reconcile), but a pod it created a moment ago may not be there yet; without it, the next reconcile would
 * see a free parallelism slot that is taken, or a missing attempt that exists. Each pod created is kept
 * here until the cache shows it, it is deleted, or {@code ttl} has passed (a pod deleted by someone else
 * before the cache ever saw it must not live here forever).
 */
final class RecentPods {
    private record Entry(Pod pod, Instant createdAt) {}

    private final Clock clock;
    private final Duration ttl;
    // search key (namespace/name) -> pod name -> entry
    private final Map<String, Map<String, Entry>> bySearch = new ConcurrentHashMap<>();

    RecentPods(Clock clock, Duration ttl) {
        this.clock = clock;
        this.ttl = ttl;
    }

    void created(Pod pod) {
        String search = search(pod);
        if (search == null) {
            return;
        }
        bySearch.computeIfAbsent(key(pod.getMetadata().getNamespace(), search), k -> new ConcurrentHashMap<>())
                .put(pod.getMetadata().getName(), new Entry(pod, Instant.now(clock)));
    }

    void deleted(Pod pod) {
        String search = search(pod);
        if (search == null) {
            return;
        }
        // Drops the search's map once empty, so a deleted search leaves nothing behind.
        bySearch.computeIfPresent(key(pod.getMetadata().getNamespace(), search), (k, recent) -> {
            recent.remove(pod.getMetadata().getName());
            return recent.isEmpty() ? null : recent;
        });
    }

    /**
     * All the cached pods of one search, plus the ones created here that the cache does not show yet.
     * Entries the cache has caught up with, or that are older than the ttl, are dropped.
     */
    List<Pod> withCached(String namespace, String search, List<Pod> cached) {
        List<Pod> pods = new ArrayList<>(cached);
        Map<String, Entry> recent = bySearch.get(key(namespace, search));
        if (recent == null) {
            return pods;
        }
        Set<String> seen = new HashSet<>();
        cached.forEach(p -> seen.add(p.getMetadata().getName()));
        Instant expired = Instant.now(clock).minus(ttl);
        recent.entrySet().removeIf(e -> seen.contains(e.getKey()) || e.getValue().createdAt().isBefore(expired));
        recent.values().forEach(e -> pods.add(e.pod()));
        return pods;
    }

    void forget(String namespace, String search) {
        bySearch.remove(key(namespace, search));
    }

    int size() {
        return bySearch.values().stream().mapToInt(Map::size).sum();
    }

    private static String search(Pod pod) {
        var labels = pod.getMetadata().getLabels();
        return labels == null ? null : labels.get(PodLabels.SEARCH);
    }

    private static String key(String namespace, String search) {
        return namespace + "/" + search;
    }
}
