package io.pbtnas.operator.plan;

import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.core.model.StorageSpec;
import io.pbtnas.core.status.ConditionType;
import io.pbtnas.core.status.Reason;
import io.pbtnas.core.status.SearchConditions;
import io.pbtnas.operator.api.PbtNasSearch;
import io.pbtnas.operator.config.OperatorConfig;
import io.pbtnas.operator.observe.ObservedSearch;
import io.pbtnas.operator.observe.PodObserver;
import io.pbtnas.operator.pods.CleanupPods;
import io.pbtnas.operator.pods.VolumePaths;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The finalizer of a deleted search, as plans: stop its pods, then (with {@code storage.retention: delete})
 * run one pod that deletes its checkpoint folder. While it waits, condition {@code Cleanup} says on what;
 * it is bounded by {@code pbtnas.operator.cleanup-timeout} ({@link CleanupDecision}). Pure: fed from the
 * informer cache like every other plan.
 */
public final class CleanupPlanner {
    static final Duration RECHECK = Duration.ofSeconds(1);
    static final Duration RECHECK_REFUSED = Duration.ofSeconds(5);

    private final CleanupPods cleanupPods;
    private final Duration timeout;

    public CleanupPlanner(OperatorConfig.Settings config) {
        this.cleanupPods = new CleanupPods(config);
        this.timeout = config.cleanupTimeout();
    }

    public CleanupPlan plan(ObservedSearch seen, Instant now) {
        PbtNasSearch search = seen.search();
        SearchSpec spec = seen.spec();
        boolean deleteCheckpoints = spec.storage() != null && spec.storage().retention() == StorageSpec.Retention.DELETE;
        String deletion = search.getMetadata().getDeletionTimestamp();
        var cleaner = seen.cleaner();
        CleanupDecision next = CleanupDecision.decide(seen.pods(), cleaner, deleteCheckpoints,
                VolumePaths.searchFolder(search), deletion == null ? null : Instant.parse(deletion), now, timeout);
        if (next instanceof CleanupDecision.StopPods stop) {
            return new CleanupPlan(List.of(), stop.undeleted(), Optional.empty(), Optional.empty(), false, RECHECK);
        }
        if (next instanceof CleanupDecision.Wait wait) {
            Reason reason = cleaner != null && PodObserver.stuckReason(cleaner).isPresent() ? Reason.BLOCKED
                    : Reason.WAITING;
            return waiting(seen, reason, wait.message(), now, RECHECK);
        }
        if (next instanceof CleanupDecision.StartCleaner) {
            return new CleanupPlan(List.of(), List.of(), Optional.of(cleanupPods.build(search, spec)), Optional.empty(),
                    false, RECHECK);
        }
        return release((CleanupDecision.Release) next);
    }

    /** The API server refused the cleaner pod: in a terminating namespace nothing can run, so let go; else wait. */
    public CleanupPlan cleanerRefused(ObservedSearch seen, Refusal refusal, Instant now) {
        if (refusal.namespaceTerminating()) {
            return release(CleanupDecision.cannotRun(VolumePaths.searchFolder(seen.search()), refusal.serverMessage()));
        }
        return waiting(seen, Reason.BLOCKED, "the API server refused cleaner pod " + refusal.name() + ": "
                + refusal.serverMessage(), now, RECHECK_REFUSED);
    }

    private static CleanupPlan release(CleanupDecision.Release release) {
        List<SearchEvent> events = release.message() == null ? List.of() : List.of(release.checkpointsDeleted()
                ? SearchEvent.normal(SearchEvent.CHECKPOINTS_DELETED, release.message())
                : SearchEvent.warning(SearchEvent.CLEANUP_INCOMPLETE, release.message()));
        return new CleanupPlan(events, release.cleaner() == null ? List.of() : List.of(release.cleaner()),
                Optional.empty(), Optional.empty(), true, null);
    }

    /** Condition Cleanup, written only when its reason or message changed. */
    private static CleanupPlan waiting(ObservedSearch seen, Reason reason, String message, Instant now,
            Duration recheck) {
        SearchStatus old = seen.status();
        boolean same = old != null && old.condition(ConditionType.CLEANUP.code())
                .map(c -> reason.code().equals(c.reason()) && message.equals(c.message())).orElse(false);
        Optional<SearchStatus> status = same ? Optional.empty() : Optional.of(SearchConditions.keeping(old, old)
                .cleanup(reason, message).applyTo(old == null ? SearchStatus.EMPTY : old, seen.observedGeneration(), now));
        return new CleanupPlan(List.of(), List.of(), Optional.empty(), status, false, recheck);
    }
}
