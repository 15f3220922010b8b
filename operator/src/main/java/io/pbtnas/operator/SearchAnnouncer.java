package io.pbtnas.operator;

import io.pbtnas.core.model.SearchStatus;
import java.util.Objects;

/** Events for what changed between two statuses: generations, replacements, completion, export, stuck pods. */
final class SearchAnnouncer {
    private final SearchEvents events;

    SearchAnnouncer(SearchEvents events) {
        this.events = events;
    }

    void announce(PbtNasSearch search, SearchStatus old, SearchStatus next) {
        for (String message : Transitions.generationsCompleted(old, next)) {
            events.normal(search, SearchEvents.GENERATION_COMPLETED, message);
        }
        for (String message : Transitions.membersReplaced(old, next)) {
            events.normal(search, SearchEvents.MEMBER_REPLACED, message);
        }
        Transitions.completed(old, next).ifPresent(m -> events.normal(search, SearchEvents.SEARCH_COMPLETED, m));
        Transitions.exported(old, next).ifPresent(m -> events.normal(search, SearchEvents.BEST_EXPORTED, m));
        Transitions.exportFailed(old, next).ifPresent(m -> events.warning(search, SearchEvents.EXPORT_FAILED, m));
        announceStuck(search, old, next);
    }

    /** A Warning event each time the set of stuck pods (the Stuck message) changes to a new non-empty one. */
    private void announceStuck(PbtNasSearch search, SearchStatus old, SearchStatus next) {
        var now = next.condition(StatusConditions.STUCK).filter(c -> "True".equals(c.status()));
        if (now.isEmpty()) {
            return;
        }
        boolean same = old != null && old.condition(StatusConditions.STUCK)
                .map(c -> "True".equals(c.status()) && Objects.equals(c.message(), now.get().message())).orElse(false);
        if (!same) {
            events.warning(search, SearchEvents.POD_STUCK, now.get().message());
        }
    }
}
