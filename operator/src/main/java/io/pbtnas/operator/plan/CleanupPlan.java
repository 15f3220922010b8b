package io.pbtnas.operator.plan;

import io.fabric8.kubernetes.api.model.Pod;
import io.pbtnas.core.model.SearchStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One step of a deleted search's finalizer ({@link CleanupPlanner}): events, pods to delete or the cleaner
 * to create, a status to write (condition Cleanup, only when it changed), then either release the search
 * (remove the finalizer) or look again after {@code recheck}.
 */
public record CleanupPlan(List<SearchEvent> events, List<Pod> delete, Optional<Pod> createCleaner,
        Optional<SearchStatus> status, boolean release, Duration recheck) {
}
