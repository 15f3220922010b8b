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

    private StatusConditions() {}

    /** {@code exported}: the Exported condition ({@link ExportDecision}); null leaves it out. */
    public static SearchStatus withConditions(SearchStatus engine, SearchStatus old, long observedGeneration, String now,
            Condition exported) {
        List<Condition> out = new ArrayList<>();
        for (Condition c : engine.conditions()) {
            if (!FAILED.equals(c.type()) && !ExportDecision.EXPORTED.equals(c.type())) {
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
        return engine.withConditions(out).withObservedGeneration(observedGeneration);
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
