package io.pbtnas.operator.plan;

import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.core.status.ConditionType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The events for what changed between two statuses: generations, replacements, completion, export, stuck and queued pods, an unreachable bucket. Pure. */
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
        queued(old, next).ifPresent(out::add);
        storageUnavailable(old, next).ifPresent(out::add);
        return out;
    }

    /** A Warning when the bucket becomes unreachable (StorageUnavailable turns True); the pods' own events say more. */
    private static Optional<SearchEvent> storageUnavailable(SearchStatus old, SearchStatus next) {
        String type = ConditionType.STORAGE_UNAVAILABLE.code();
        boolean was = old != null && old.condition(type).map(c -> c.isTrue()).orElse(false);
        return next.condition(type).filter(c -> c.isTrue() && !was)
                .map(c -> SearchEvent.warning(SearchEvent.STORAGE_UNAVAILABLE, c.message()));
    }

    /** Normal events when member pods start waiting for Kueue's admission (Queued turns True) and stop (False). */
    private static Optional<SearchEvent> queued(SearchStatus old, SearchStatus next) {
        String type = ConditionType.QUEUED.code();
        boolean was = old != null && old.condition(type).map(c -> c.isTrue()).orElse(false);
        var now = next.condition(type);
        boolean is = now.map(c -> c.isTrue()).orElse(false);
        if (is && !was) {
            return Optional.of(SearchEvent.normal(SearchEvent.QUEUED, now.get().message()));
        }
        if (was && !is) {
            return Optional.of(SearchEvent.normal(SearchEvent.ADMITTED,
                    now.map(c -> c.message()).orElse("no member pod waits for admission")));
        }
        return Optional.empty();
    }

    /** A Warning each time the set of stuck pods (the Stuck message) changes to a new non-empty one. */
    private static Optional<SearchEvent> stuck(SearchStatus old, SearchStatus next) {
        String type = ConditionType.STUCK.code();
        var now = next.condition(type).filter(c -> c.isTrue());
        if (now.isEmpty()) {
            return Optional.empty();
        }
        boolean same = old != null && old.condition(type)
                .map(c -> c.isTrue() && Objects.equals(c.message(), now.get().message())).orElse(false);
        return same ? Optional.empty()
                : Optional.of(SearchEvent.warning(SearchEvent.POD_STUCK, now.get().message()));
    }
}
