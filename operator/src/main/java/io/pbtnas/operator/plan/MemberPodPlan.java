package io.pbtnas.operator.plan;

import io.fabric8.kubernetes.api.model.Pod;
import io.pbtnas.operator.observe.PodObserver;
import io.pbtnas.operator.observe.PodTimes;
import io.pbtnas.operator.pods.PodLabels;
import io.pbtnas.core.engine.Action;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * Which member pods to create and delete so that the pods match the engine's {@link Action.Train}s:
 * at most {@code parallelism} active, a retry only after its backoff and only once no pod of an earlier
 * attempt of that member and generation is still there (a pod in its grace period may still write its
 * outputs), nothing new while suspended.
 * Decided from the pods alone, so a restarted operator decides the same. Pure.
 *
 * @param create the trains to start now, in (generation, member) order
 * @param delete active pods the engine no longer wants (a superseded attempt must not hold a slot or a GPU)
 * @param retryIn how long until a retry's backoff ends (null: none waiting)
 */
public record MemberPodPlan(List<Action.Train> create, List<Pod> delete, Duration retryIn) {

    public static MemberPodPlan of(String search, int parallelism, boolean suspended, List<Pod> existing,
            List<Action> actions, Instant now, IntFunction<Duration> backoff) {
        List<Action.Train> trains = actions.stream()
                .filter(Action.Train.class::isInstance).map(Action.Train.class::cast)
                .sorted(Comparator.comparingInt(Action.Train::generation).thenComparingInt(Action.Train::member))
                .toList();
        Set<String> wanted = trains.stream().map(t -> podName(search, t)).collect(Collectors.toSet());
        Map<String, Pod> byName = new HashMap<>();
        List<Pod> delete = new ArrayList<>();
        for (Pod pod : existing) {
            byName.put(pod.getMetadata().getName(), pod);
            if (PodObserver.isActive(pod) && !wanted.contains(pod.getMetadata().getName())
                    && pod.getMetadata().getDeletionTimestamp() == null) {
                delete.add(pod);
            }
        }
        if (suspended) {
            return new MemberPodPlan(List.of(), delete, null);
        }
        long active = existing.stream()
                .filter(p -> wanted.contains(p.getMetadata().getName()) && PodObserver.isActive(p)).count();
        Map<List<Integer>, Integer> earliestUnfinished = earliestUnfinishedAttempt(existing);
        Duration wait = null;
        List<Action.Train> create = new ArrayList<>();
        for (Action.Train train : trains) {
            if (byName.containsKey(podName(search, train))) {
                continue;
            }
            if (active >= parallelism) {
                break;
            }
            Integer earliest = earliestUnfinished.get(List.of(train.member(), train.generation()));
            if (earliest != null && earliest < train.attempt()) {
                continue; // its deletion wakes the reconciler again
            }
            Duration remaining = backoffRemaining(byName, search, train, now, backoff);
            if (!remaining.isZero()) {
                wait = wait == null || remaining.compareTo(wait) < 0 ? remaining : wait;
                continue;
            }
            create.add(train);
            active++;
        }
        return new MemberPodPlan(List.copyOf(create), List.copyOf(delete), wait);
    }

    /**
     * Per (member, generation), the lowest attempt whose pod has not ended (terminating counts): a train of
     * a later attempt waits for it. One pass over the pods, not one per train (populations of 1,000).
     */
    static Map<List<Integer>, Integer> earliestUnfinishedAttempt(List<Pod> existing) {
        Map<List<Integer>, Integer> out = new HashMap<>();
        for (Pod p : existing) {
            if (!PodObserver.isTerminal(p)) {
                PodObserver.key(p).ifPresent(k -> out.merge(List.of(k.member(), k.generation()), k.attempt(), Math::min));
            }
        }
        return out;
    }

    private static Duration backoffRemaining(Map<String, Pod> byName, String search, Action.Train train, Instant now,
            IntFunction<Duration> backoff) {
        if (train.attempt() == 0) {
            return Duration.ZERO;
        }
        Pod previous = byName.get(PodLabels.memberPodName(search, train.member(), train.generation(), train.attempt() - 1));
        Instant failedAt = previous == null ? null : PodTimes.finishedAt(previous);
        if (failedAt == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(now, failedAt.plus(backoff.apply(train.attempt())));
        return left.isNegative() ? Duration.ZERO : left;
    }

    private static String podName(String search, Action.Train t) {
        return PodLabels.memberPodName(search, t.member(), t.generation(), t.attempt());
    }
}
