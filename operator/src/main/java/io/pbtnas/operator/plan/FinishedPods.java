package io.pbtnas.operator.plan;

import io.fabric8.kubernetes.api.model.Pod;
import io.pbtnas.operator.observe.PodObserver;
import io.pbtnas.operator.observe.PodTimes;
import io.pbtnas.operator.pods.PodLabels;
import io.pbtnas.core.model.MemberStatus;
import io.pbtnas.core.model.SearchStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which finished member pods can go (issue: bounded resources): a pod whose result the persisted
 * status already holds is no longer needed (the engine reads results from pods and the status, and a
 * recorded attempt is never asked for again), except each member's last failed pod, kept for
 * {@code kubectl logs} and for the backoff of its retry. So at most one finished pod per member
 * stays, plus those whose result is not persisted yet. Pure.
 */
public final class FinishedPods {
    private FinishedPods() {
    }

    /** @param persisted the status as read from the API server (null before the first patch) */
    public static List<Pod> toDelete(SearchStatus persisted, List<Pod> memberPods) {
        if (persisted == null) {
            return List.of();
        }
        Comparator<PodObserver.PodKey> order = Comparator.comparingInt(PodObserver.PodKey::generation)
                .thenComparingInt(PodObserver.PodKey::attempt);
        Map<Integer, PodObserver.PodKey> lastFailed = new HashMap<>();
        for (Pod pod : memberPods) {
            if (isPhase(pod, "Failed")) {
                PodObserver.key(pod).ifPresent(k -> lastFailed.merge(k.member(), k,
                        (a, b) -> order.compare(a, b) >= 0 ? a : b));
            }
        }
        Map<Integer, MemberStatus> members = new HashMap<>();
        persisted.members().forEach(m -> {
            if (m.id() != null) {
                members.putIfAbsent(m.id(), m);
            }
        });
        List<Pod> out = new ArrayList<>();
        for (Pod pod : memberPods) {
            if (!PodObserver.isTerminal(pod) || pod.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            PodObserver.key(pod).filter(k -> recorded(members.get(k.member()), k))
                    .filter(k -> !(isPhase(pod, "Failed") && k.equals(lastFailed.get(k.member()))))
                    .ifPresent(k -> out.add(pod));
        }
        return out;
    }

    /**
     * The status holds the result of this attempt: the member has finished that step (a score, or failed
     * for good), or moved on to a later attempt of it. Both schedules: a member's finished steps are
     * {@link MemberStatus#stepsDone}, and {@link MemberStatus#attempts} counts the current step's attempts.
     */
    public static boolean recorded(SearchStatus status, PodObserver.PodKey k) {
        return recorded(status.members().stream().filter(x -> x.id() != null && x.id() == k.member())
                .findFirst().orElse(null), k);
    }

    private static boolean recorded(MemberStatus m, PodObserver.PodKey k) {
        if (m == null) {
            return false;
        }
        int attempts = m.attempts() == null ? 0 : m.attempts();
        return m.stepsDone() > k.generation() || (m.stepsDone() == k.generation() && attempts > k.attempt());
    }

    private static boolean isPhase(Pod pod, String phase) {
        return pod.getStatus() != null && phase.equals(pod.getStatus().getPhase());
    }
}
