package io.pbtnas.operator.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.pbtnas.operator.pods.PodLabels;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When this JVM first saw each pod exist and first saw it terminal, on one watch. creationTimestamp
 * has one-second resolution, far too coarse; both ends of every interval we report come through the
 * same watch, so its delay mostly cancels out.
 */
final class PodTimeline implements AutoCloseable {
    private final Map<String, Long> firstSeen = new ConcurrentHashMap<>();
    private final Map<String, Long> terminalAt = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> labels = new ConcurrentHashMap<>();
    /** Each pod as first seen, for the baseline's copies: the operator deletes finished pods soon after. */
    private final Map<String, Pod> asFirstSeen = new ConcurrentHashMap<>();
    private final SharedIndexInformer<Pod> informer;

    PodTimeline(KubernetesClient client, String namespace) {
        informer = client.pods().inNamespace(namespace).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                seen(pod);
            }

            @Override
            public void onUpdate(Pod oldPod, Pod pod) {
                seen(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean unknown) {}
        }, 0);
    }

    private void seen(Pod pod) {
        long now = System.nanoTime();
        String name = pod.getMetadata().getName();
        firstSeen.putIfAbsent(name, now);
        asFirstSeen.putIfAbsent(name, pod);
        if (pod.getMetadata().getLabels() != null) {
            labels.putIfAbsent(name, Map.copyOf(pod.getMetadata().getLabels()));
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            terminalAt.putIfAbsent(name, now);
        }
    }

    /** The member pods of (search, generation) as first seen, whether or not they still exist. */
    java.util.List<Pod> pods(String search, int generation) {
        return members(PodLabels.SEARCH, search, generation).sorted().map(asFirstSeen::get).toList();
    }

    /** Latest first sighting of a member pod of (search, generation); empty if none. */
    OptionalLong lastCreated(String search, int generation) {
        return lastCreated(PodLabels.SEARCH, search, generation);
    }

    /** As {@link #lastCreated(String, int)}, for pods grouped by another label. */
    OptionalLong lastCreated(String groupLabel, String group, int generation) {
        return members(groupLabel, group, generation).mapToLong(n -> firstSeen.get(n)).max();
    }

    OptionalLong firstCreated(String search, int generation) {
        return members(search, generation).mapToLong(n -> firstSeen.get(n)).min();
    }

    /** When the last member pod of (search, generation) was seen terminal; empty if one has not ended. */
    OptionalLong lastTerminal(String search, int generation) {
        var names = members(search, generation).toList();
        if (names.isEmpty() || names.stream().anyMatch(n -> !terminalAt.containsKey(n))) {
            return OptionalLong.empty();
        }
        return names.stream().mapToLong(terminalAt::get).max();
    }

    long memberPods(String search, int generation) {
        return memberPods(PodLabels.SEARCH, search, generation);
    }

    long memberPods(String groupLabel, String group, int generation) {
        return members(groupLabel, group, generation).count();
    }

    private java.util.stream.Stream<String> members(String search, int generation) {
        return members(PodLabels.SEARCH, search, generation);
    }

    private java.util.stream.Stream<String> members(String groupLabel, String group, int generation) {
        String g = Integer.toString(generation);
        return labels.entrySet().stream()
                .filter(e -> group.equals(e.getValue().get(groupLabel))
                        && PodLabels.ROLE_MEMBER.equals(e.getValue().get(PodLabels.ROLE))
                        && g.equals(e.getValue().get(PodLabels.GENERATION)))
                .map(Map.Entry::getKey);
    }

    @Override
    public void close() {
        informer.close();
    }
}
