package io.pbtnas.core.status;

import io.pbtnas.core.model.Condition;
import io.pbtnas.core.model.ConditionStatus;
import io.pbtnas.core.model.Phase;
import io.pbtnas.core.model.SearchStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one builder of a search's conditions. The engine, the export, pod creation, cleanup and the pod
 * observer report facts to it; it alone makes {@link Condition}s, and it owns the transition-time rule:
 * a condition keeps its previous lastTransitionTime while its status is unchanged, and takes {@code now}
 * on a transition ({@code now} null, as in the engine, which has no clock: left null for the caller).
 * Pure.
 */
public final class SearchConditions {
    /** Pods named in the Stuck message; the rest are counted (the status stays small at any population). */
    public static final int STUCK_NAMED = 5;

    private final SearchStatus previous;
    private final List<Condition> conditions;
    private final Set<ConditionType> set = new HashSet<>();
    private final boolean stampKept;

    private SearchConditions(SearchStatus previous, List<Condition> start, boolean stampKept) {
        this.previous = previous;
        this.conditions = new ArrayList<>(start);
        this.stampKept = stampKept;
    }

    /** No conditions to start from; {@code previous} (null: none) gives the transition times. */
    public static SearchConditions fresh(SearchStatus previous) {
        return new SearchConditions(previous, List.of(), false);
    }

    /** Starts from {@code base}'s conditions, left exactly as they are unless a fact replaces them. */
    public static SearchConditions keeping(SearchStatus base, SearchStatus previous) {
        return new SearchConditions(previous, base == null ? List.of() : base.conditions(), false);
    }

    /** Starts from {@code base}'s conditions, all stamped again (observedGeneration, transition time) on build. */
    public static SearchConditions restamping(SearchStatus base, SearchStatus previous) {
        return new SearchConditions(previous, base == null ? List.of() : base.conditions(), true);
    }

    // The engine's facts.

    /** Ready, Progressing, Degraded and Complete of a search that runs, is complete or failed in its members. */
    public SearchConditions search(Phase phase, String message, String progress, List<String> lostMembers) {
        boolean failed = phase == Phase.FAILED;
        boolean complete = phase == Phase.COMPLETE;
        set(ConditionType.READY, !failed, failed ? Reason.SEARCH_FAILED : Reason.SPEC_VALID,
                failed ? message : "spec is valid");
        set(ConditionType.PROGRESSING, !complete && !failed, complete ? Reason.COMPLETE
                : failed ? Reason.SEARCH_FAILED : Reason.TRAINING, complete || failed ? message : progress);
        boolean healthy = lostMembers.isEmpty();
        set(ConditionType.DEGRADED, !healthy, healthy ? Reason.ALL_MEMBERS_HEALTHY : Reason.MEMBERS_FAILED,
                healthy ? "no member has failed for good" : String.join("; ", lostMembers));
        set(ConditionType.COMPLETE, complete, complete ? Reason.COMPLETE
                : failed ? Reason.SEARCH_FAILED : Reason.IN_PROGRESS, complete ? message : progress);
        return this;
    }

    /** The search cannot go on at all ({@code reason}: InvalidSpec, PopulationChanged, ScheduleChanged). */
    public SearchConditions searchStopped(Reason reason, String message) {
        set(ConditionType.READY, false, reason, message);
        set(ConditionType.PROGRESSING, false, reason, message);
        set(ConditionType.COMPLETE, false, reason, message);
        set(ConditionType.DEGRADED, true, reason, message);
        return this;
    }

    // The operator's facts.

    /** Condition Failed from the phase. */
    public SearchConditions failed(Phase phase, String message) {
        boolean failed = phase == Phase.FAILED;
        return set(ConditionType.FAILED, failed, failed ? Reason.SEARCH_FAILED : Reason.NOT_FAILED,
                failed ? message : null);
    }

    /** Condition Exported: True exactly when {@code reason} is Exported. */
    public SearchConditions exported(Reason reason, String message) {
        return set(ConditionType.EXPORTED, reason == Reason.EXPORTED, reason, message);
    }

    /** Condition Stuck: the first stuck pod's reason (by generation, member), a message naming up to five. */
    public SearchConditions stuck(List<StuckPod> stuck) {
        if (stuck.isEmpty()) {
            return set(ConditionType.STUCK, false, Reason.NO_STUCK_PODS, null);
        }
        StringBuilder message = new StringBuilder();
        for (int i = 0; i < Math.min(STUCK_NAMED, stuck.size()); i++) {
            message.append(i == 0 ? "" : "; ").append(stuck.get(i).describe());
        }
        if (stuck.size() > STUCK_NAMED) {
            message.append("; and ").append(stuck.size() - STUCK_NAMED).append(" more stuck pods");
        }
        return set(ConditionType.STUCK, true, Reason.require(stuck.get(0).reason()), message.toString());
    }

    /**
     * Condition Queued: True while {@code waiting} member pods wait for Kueue's admission in
     * {@code localQueue} (null: the namespace's default LocalQueue); False once none waits; absent on a
     * search never queued. Waiting for quota is not being stuck (condition Stuck leaves these pods out).
     */
    public SearchConditions queued(String localQueue, int waiting) {
        String queue = localQueue == null ? "the namespace's default LocalQueue" : "LocalQueue " + localQueue;
        if (waiting > 0) {
            return set(ConditionType.QUEUED, true, Reason.WAITING_FOR_ADMISSION, waiting
                    + (waiting == 1 ? " member pod waits" : " member pods wait") + " for admission in " + queue);
        }
        if (previous != null && previous.condition(ConditionType.QUEUED.code()).isPresent()) {
            return set(ConditionType.QUEUED, false, Reason.ADMITTED, "no member pod waits for admission in " + queue);
        }
        return remove(ConditionType.QUEUED);
    }

    /**
     * Condition Suspended: present while spec.suspend holds a search that is not finished, and after a
     * resume (so `kubectl get` shows it ended); absent on a search never suspended.
     */
    public SearchConditions suspended(boolean suspended, Phase phase) {
        if (suspended && (phase == null || !phase.isFinal())) {
            return set(ConditionType.SUSPENDED, true, Reason.SUSPENDED, "spec.suspend is true: no new pods are "
                    + "created; running steps finish and are recorded; set it to false to resume");
        }
        if (previous != null && previous.condition(ConditionType.SUSPENDED.code()).isPresent()) {
            return set(ConditionType.SUSPENDED, false, Reason.RESUMED,
                    suspended ? "the search ended while suspended" : "spec.suspend is false");
        }
        return remove(ConditionType.SUSPENDED);
    }

    /** The spec cannot run: Paused, and neither Ready (its spec is not valid) nor Progressing. */
    public SearchConditions paused(String message) {
        set(ConditionType.PAUSED, true, Reason.INVALID_SPEC, message);
        set(ConditionType.READY, false, Reason.INVALID_SPEC, message);
        return set(ConditionType.PROGRESSING, false, Reason.INVALID_SPEC, message);
    }

    /**
     * Condition StorageUnavailable: True with {@code unreachable} (a failed member pod's message on a bucket
     * it could not reach: it names the bucket and the S3 error; {@code credentials} says where the keys come
     * from); False once a member step uploaded its result after it ({@code uploaded}); otherwise as it was.
     * Absent until a bucket was unreachable once.
     */
    public SearchConditions storage(String unreachable, String credentials, boolean uploaded) {
        if (unreachable != null) {
            return set(ConditionType.STORAGE_UNAVAILABLE, true, Reason.BUCKET_UNREACHABLE,
                    unreachable + " (credentials: " + credentials + ")");
        }
        Optional<Condition> before = previous == null ? Optional.empty()
                : previous.condition(ConditionType.STORAGE_UNAVAILABLE.code());
        if (before.isEmpty()) {
            return remove(ConditionType.STORAGE_UNAVAILABLE);
        }
        if (before.get().isTrue() && uploaded) {
            return set(ConditionType.STORAGE_UNAVAILABLE, false, Reason.BUCKET_REACHABLE,
                    "a member step's result was uploaded to the bucket");
        }
        // nothing new: the failed pods that said so may be gone, the condition stays as it was
        return set(ConditionType.STORAGE_UNAVAILABLE, before.get().isTrue(), Reason.require(before.get().reason()),
                before.get().message());
    }

    /** The API server refused one of the search's pods (or an object a pod needs). */
    public SearchConditions podCreationFailed(Reason reason, String message) {
        return set(ConditionType.POD_CREATION_FAILED, true, reason, message);
    }

    /** A deleted search's finalizer waits ({@code reason}: Waiting or Blocked). */
    public SearchConditions cleanup(Reason reason, String message) {
        return set(ConditionType.CLEANUP, false, reason, message);
    }

    public SearchConditions remove(ConditionType type) {
        conditions.removeIf(c -> type.code().equals(c.type()));
        set.remove(type);
        return this;
    }

    /** The conditions; those set here (and, restamping, all) get {@code observedGeneration} and the time rule. */
    public List<Condition> build(Long observedGeneration, Instant now) {
        List<Condition> out = new ArrayList<>();
        for (Condition c : conditions) {
            boolean stamp = stampKept || ConditionType.of(c.type()).map(set::contains).orElse(false);
            out.add(stamp ? new Condition(c.type(), c.status(), c.reason(), c.message(), observedGeneration,
                    transitionTime(c, now)) : c);
        }
        return out;
    }

    /** {@code status} with the conditions of {@link #build}, everything else kept. */
    public SearchStatus applyTo(SearchStatus status, Long observedGeneration, Instant now) {
        return status.withConditions(build(observedGeneration, now));
    }

    private SearchConditions set(ConditionType type, boolean status, Reason reason, String message) {
        if (!type.reasons().contains(reason)) {
            throw new IllegalArgumentException(type.code() + " has no reason " + reason.code());
        }
        remove(type);
        conditions.add(new Condition(type.code(), ConditionStatus.of(status), reason.code(), message, null, null));
        set.add(type);
        return this;
    }

    private String transitionTime(Condition c, Instant now) {
        Optional<Condition> before = previous == null ? Optional.empty() : previous.condition(c.type());
        if (before.isPresent() && before.get().status() == c.status() && before.get().lastTransitionTime() != null) {
            return before.get().lastTransitionTime();
        }
        if (c.lastTransitionTime() != null) {
            return c.lastTransitionTime();
        }
        return now == null ? null : now.toString();
    }
}
