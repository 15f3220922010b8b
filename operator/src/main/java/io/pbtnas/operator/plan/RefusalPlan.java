package io.pbtnas.operator.plan;

import io.pbtnas.core.model.SearchStatus;
import java.time.Duration;
import java.util.Optional;

/** What follows a refused pod: the status with condition PodCreationFailed, an event once per message, the retry. */
public record RefusalPlan(SearchStatus status, Optional<SearchEvent> event, Duration retryIn) {
}
