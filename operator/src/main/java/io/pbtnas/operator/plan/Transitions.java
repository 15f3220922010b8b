package io.pbtnas.operator.plan;

import io.pbtnas.core.model.Condition;
import io.pbtnas.core.model.ConditionStatus;
import io.pbtnas.core.status.ConditionType;
import io.pbtnas.core.status.Reason;
import io.pbtnas.core.model.LineageEntry;
import io.pbtnas.core.model.MemberStatus;
import io.pbtnas.core.model.Phase;
import io.pbtnas.core.model.SearchStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What changed between two statuses, as event messages. Pure, so events fire only on change. */
public final class Transitions {
    private Transitions() {}

    public static List<String> generationsCompleted(SearchStatus old, SearchStatus next) {
        List<String> out = new ArrayList<>();
        int before = old == null || old.generation() == null ? 0 : old.generation();
        int after = next.generation() == null ? 0 : next.generation();
        boolean lastDone = next.phase() == Phase.COMPLETE && (old == null || old.phase() != Phase.COMPLETE);
        int end = lastDone ? after + 1 : after;
        for (int g = before; g < end; g++) {
            out.add("generation " + g + " completed" + best(next));
        }
        return out;
    }

    public static List<String> membersReplaced(SearchStatus old, SearchStatus next) {
        List<String> out = new ArrayList<>();
        for (MemberStatus m : next.members()) {
            int known = old == null ? 0 : old.members().stream().filter(o -> o.id().equals(m.id()))
                    .findFirst().map(o -> o.lineage().size()).orElse(0);
            for (LineageEntry e : m.lineage().subList(Math.min(known, m.lineage().size()), m.lineage().size())) {
                if (e.kind() == LineageEntry.Kind.INITIAL) {
                    continue;
                }
                StringBuilder s = new StringBuilder("member " + m.id() + " replaced for generation " + e.generation()
                        + " by a " + e.kind().name().toLowerCase() + " of member " + e.parent());
                if (e.donor() != null && !e.donor().equals(e.parent())) {
                    s.append(" and member ").append(e.donor());
                }
                if (e.swappedGenes() != null && !e.swappedGenes().isEmpty()) {
                    s.append(", genes ").append(e.swappedGenes());
                }
                out.add(s.toString());
            }
        }
        return out;
    }

    public static Optional<String> completed(SearchStatus old, SearchStatus next) {
        if (next.phase() == Phase.COMPLETE && (old == null || old.phase() != Phase.COMPLETE)) {
            return Optional.of("search complete" + best(next));
        }
        return Optional.empty();
    }

    /** The Exported condition became True: best/ and history.json are on the volume. */
    public static Optional<String> exported(SearchStatus old, SearchStatus next) {
        return became(old, next, ConditionStatus.TRUE, Reason.EXPORTED);
    }

    /** The export ran out of retries. */
    public static Optional<String> exportFailed(SearchStatus old, SearchStatus next) {
        return became(old, next, ConditionStatus.FALSE, Reason.EXPORT_FAILED);
    }

    private static Optional<String> became(SearchStatus old, SearchStatus next, ConditionStatus status, Reason reason) {
        String type = ConditionType.EXPORTED.code();
        Optional<Condition> now = next.condition(type)
                .filter(c -> status == c.status() && reason.code().equals(c.reason()));
        boolean before = old != null && old.condition(type)
                .filter(c -> status == c.status() && reason.code().equals(c.reason())).isPresent();
        return before ? Optional.empty() : now.map(Condition::message);
    }

    private static String best(SearchStatus s) {
        if (s.best() == null) {
            return "";
        }
        return "; best member " + s.best().member() + " with score " + s.best().score() + " " + s.best().genome();
    }
}
