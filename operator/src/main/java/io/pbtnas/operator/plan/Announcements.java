package io.pbtnas.operator.plan;

import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.core.status.ConditionType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The events for what changed between two statuses: generations, replacements, completion, export, stuck pods. Pure. */
public final class Announcements {
    private Announcements() {
    }

    public static List<SearchEvent> of(SearchStatus old, SearchStatus next) {
        List<SearchEvent> out = new ArrayList<>();
        Transitions.generationsCompleted(old, next)
                .forEach(m -> out.add(SearchEvent.normal(SearchEvent.GENERATION_COMPLETED, m)));
        Transitions.membersReplaced(old, next).forEach(m -> out.add(SearchEvent.normal(SearchEvent.MEMBER_REPLACED, m)));
        Transitions.completed(old, next).ifPresent(m -> out.add(SearchEvent.normal(SearchEvent.SEARCH_COMPLETED, m)));
        Transitions.exported(old, next).ifPresent(m -> out.add(SearchEvent.normal(SearchEvent.BEST_EXPORTED, m)));
        Transitions.exportFailed(old, next).ifPresent(m -> out.add(SearchEvent.warning(SearchEvent.EXPORT_FAILED, m)));
        stuck(old, next).ifPresent(out::add);
        return out;
    }

    /** A Warning each time the set of stuck pods (the Stuck message) changes to a new non-empty one. */
    private static java.util.Optional<SearchEvent> stuck(SearchStatus old, SearchStatus next) {
        String type = ConditionType.STUCK.code();
        var now = next.condition(type).filter(c -> c.isTrue());
        if (now.isEmpty()) {
            return java.util.Optional.empty();
        }
        boolean same = old != null && old.condition(type)
                .map(c -> c.isTrue() && Objects.equals(c.message(), now.get().message())).orElse(false);
        return same ? java.util.Optional.empty()
                : java.util.Optional.of(SearchEvent.warning(SearchEvent.POD_STUCK, now.get().message()));
    }
}
