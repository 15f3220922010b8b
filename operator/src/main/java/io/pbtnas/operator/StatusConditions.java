package io.pbtnas.operator;

import io.pbtnas.core.model.Condition;
import io.pbtnas.core.model.Phase;
import io.pbtnas.core.model.SearchStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finishes the engine's status for the API: stamps transition times (the engine has no clock),
 * sets observedGeneration, and adds the {@code Failed} and {@code Exported} conditions. Pure: the clock is an argument.
 */
public final class StatusConditions {
    public static final String FAILED = "Failed";
    /** True while the spec is invalid: no pods are created or deleted until it is fixed. */
    public static final String PAUSED = "Paused";
    public static final String INVALID_SPEC = "InvalidSpec";
    /** True while a member pod is pending for a reason someone must fix; names each such pod. */
    public static final String STUCK = "Stuck";
    /** True while spec.suspend is: no new pods; present (False, Resumed) once a suspended search resumes. */
    public static final String SUSPENDED = "Suspended";
    /** Pods named in the Stuck message; the rest are counted (the status stays small at any population). */
    static final int STUCK_NAMED = 5;

    private StatusConditions() {}

    /**
     * {@code exported}: the Exported condition ({@link ExportDecision}); null leaves it out.
     * {@code stuck}: the member pods that cannot go on ({@link PodObserver#stuck}), for condition Stuck.
     */
    public static SearchStatus withConditions(SearchStatus engine, SearchStatus old, long observedGeneration, String now,
            Condition exported, List<PodObserver.StuckPod> stuck) {
        return withConditions(engine, old, observedGeneration, now, exported, stuck, false);
    }

    /** As above; {@code suspended}: spec.suspend, for condition Suspended. */
    public static SearchStatus withConditions(SearchStatus engine, SearchStatus old, long observedGeneration, String now,
            Condition exported, List<PodObserver.StuckPod> stuck, boolean suspended) {
        List<Condition> out = new ArrayList<>();
        for (Condition c : engine.conditions()) {
            if (!FAILED.equals(c.type()) && !ExportDecision.EXPORTED.equals(c.type()) && !STUCK.equals(c.type())
                    && !SUSPENDED.equals(c.type())) {
                out.add(stamp(c, old, observedGeneration, now));
            }
        }
        boolean failed = engine.phase() == Phase.FAILED;
        out.add(stamp(new Condition(FAILED, failed ? "True" : "False",
                failed ? "SearchFailed" : "NotFailed",
                failed ? engine.message() : null, observedGeneration, null), old, observedGeneration, now));
        if (exported != null) {
            out.add(stamp(exported, old, observedGeneration, now));
        }
        out.add(stamp(stuck(stuck, observedGeneration), old, observedGeneration, now));
        suspended(suspended, old, engine, observedGeneration)
                .ifPresent(c -> out.add(stamp(c, old, observedGeneration, now)));
        return engine.withConditions(out).withObservedGeneration(observedGeneration);
    }

    /** Present while suspended, and after a resume (so `kubectl get` shows it ended); absent on a search never suspended. */
    static Optional<Condition> suspended(boolean suspended, SearchStatus old, SearchStatus engine, long observedGeneration) {
        if (suspended && (engine.phase() == null || !engine.phase().isFinal())) {
            return Optional.of(new Condition(SUSPENDED, "True", SUSPENDED, "spec.suspend is true: no new pods are "
                    + "created; running steps finish and are recorded; set it to false to resume", observedGeneration, null));
        }
        boolean was = old != null && old.condition(SUSPENDED).isPresent();
        return was ? Optional.of(new Condition(SUSPENDED, "False", "Resumed",
                suspended ? "the search ended while suspended" : "spec.suspend is false", observedGeneration, null))
                : Optional.empty();
    }

    /**
     * The status of a search whose spec the operator cannot run: it is paused, not failed. The phase,
     * members and best stay as they were (an edit must not end a search), condition {@code Paused}
     * says why, and fixing the spec resumes it from this status.
     */
    public static SearchStatus paused(SearchStatus old, String message, long observedGeneration, String now) {
        SearchStatus base = old == null ? new SearchStatus(null, null, null, null, null, null, null) : old;
        List<Condition> out = new ArrayList<>();
        for (Condition c : base.conditions()) {
            if (!PAUSED.equals(c.type()) && !Condition.PROGRESSING.equals(c.type())) {
                out.add(c);
            }
        }
        out.add(stamp(new Condition(PAUSED, "True", INVALID_SPEC, message, observedGeneration, null),
                old, observedGeneration, now));
        out.add(stamp(new Condition(Condition.PROGRESSING, "False", INVALID_SPEC, message, observedGeneration, null),
                old, observedGeneration, now));
        return base.withConditions(out).withObservedGeneration(observedGeneration)
                .withMessage("paused, invalid spec (fix it to resume; running pods go on): " + message);
    }

    /** Condition Stuck: reason of the first stuck pod (by generation, member), message naming up to five of them. */
    static Condition stuck(List<PodObserver.StuckPod> stuck, long observedGeneration) {
        if (stuck.isEmpty()) {
            return new Condition(STUCK, "False", "NoStuckPods", null, observedGeneration, null);
        }
        StringBuilder message = new StringBuilder();
        for (int i = 0; i < Math.min(STUCK_NAMED, stuck.size()); i++) {
            message.append(i == 0 ? "" : "; ").append(stuck.get(i).describe());
        }
        if (stuck.size() > STUCK_NAMED) {
            message.append("; and ").append(stuck.size() - STUCK_NAMED).append(" more stuck pods");
        }
        return new Condition(STUCK, "True", stuck.get(0).reason(), message.toString(), observedGeneration, null);
    }

    /** Keeps the old transition time while a condition's status is unchanged. */
    static Condition stamp(Condition c, SearchStatus old, long observedGeneration, String now) {
        Optional<Condition> before = old == null ? Optional.empty() : old.condition(c.type());
        String time = c.lastTransitionTime();
        if (before.isPresent() && before.get().status().equals(c.status())) {
            time = before.get().lastTransitionTime() != null ? before.get().lastTransitionTime() : time;
        }
        if (time == null) {
            time = now;
        }
        return new Condition(c.type(), c.status(), c.reason(), c.message(), observedGeneration, time);
    }
}
