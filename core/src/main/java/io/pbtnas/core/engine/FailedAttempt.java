package io.pbtnas.core.engine;

import io.pbtnas.core.model.MemberState;
import io.pbtnas.core.model.MemberStatus;
import io.pbtnas.core.model.SearchSpec;

/**
 * What an attempt that brought no score does to its member, the one rule of both schedules
 * (DESIGN.md §5). A disruption (eviction, preemption, node loss) starts a new attempt without using a
 * retry, up to {@link #MAX_DISRUPTIONS} per step so that a member preempted without end fails with a
 * message saying so instead of looping unseen; bad input (trainer exit 2) fails the member at once,
 * since the same input fails again; any other failure uses one of failurePolicy.maxRetries. Pure.
 */
final class FailedAttempt {
    /** Disruptions of one member's step after which it fails: far more than a healthy cluster causes. */
    static final int MAX_DISRUPTIONS = 50;

    /** The member after the failure: {@code retried} when it trains the step again (state Pending). */
    record Next(MemberStatus member, boolean retried) {
    }

    private FailedAttempt() {
    }

    /**
     * @param step "generation" or "step", as the schedule names it in messages
     * @param k the generation or step that attempt trained
     */
    static Next apply(SearchSpec spec, MemberStatus m, MemberResult r, String step, int k) {
        String prefix = step + " " + k + " attempt " + m.attempts() + ": ";
        String why = r.message() == null ? "training failed" : r.message();
        switch (r.outcome()) {
            case SUCCEEDED -> why = "trainer exited successfully but reported no finite score (" + r.score() + ")";
            case DISRUPTED -> {
                if (m.disruptionCount() + 1 < MAX_DISRUPTIONS) {
                    return new Next(m.withDisruption(prefix + "disrupted, retried without using a retry: " + why),
                            true);
                }
                return failed(m, k, prefix + "disrupted " + MAX_DISRUPTIONS + " times in this " + step
                        + " (at most " + MAX_DISRUPTIONS + " disruptions per " + step + "), last: " + why);
            }
            case BAD_INPUT -> {
                return failed(m, k, prefix + "bad input, not retried (the trainer exited 2: the same input "
                        + "fails again): " + why);
            }
            case FAILED -> { }
        }
        String msg = prefix + why;
        if (m.retriesUsed() + 1 <= spec.failurePolicy().maxRetries()) {
            return new Next(m.withState(MemberState.PENDING, m.attempts() + 1, msg), true);
        }
        return failed(m, k, msg);
    }

    private static Next failed(MemberStatus m, int k, String msg) {
        return new Next(m.withState(m.state(), m.attempts() + 1, msg).withFailure(k, MemberState.FAILED, msg), false);
    }
}
