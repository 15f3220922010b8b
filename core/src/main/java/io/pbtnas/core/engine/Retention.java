package io.pbtnas.core.engine;

import io.pbtnas.core.layout.CheckpointLayout;
import io.pbtnas.core.model.BestMember;
import io.pbtnas.core.model.LineageEntry;
import io.pbtnas.core.model.MemberState;
import io.pbtnas.core.model.MemberStatus;
import io.pbtnas.core.model.SearchStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which step folders ({@code members/<m>/gen-<g>/}, every attempt and the mixed input) a search can
 * delete under {@code storage.keepGenerations: K} (pure: status in, folders out). Kept:
 * <ul>
 * <li>every generation from {@code slowest - K} on, where {@code slowest} is the fewest steps a member
 * still in the search has finished: the steps in flight read generation {@code slowest - 1} (inputs,
 * mix parents, retries), and with the asynchronous schedule a later judgement of step k picks
 * parents among step-k checkpoints while a member can still finish step k; K &gt;= 1 keeps them;</li>
 * <li>the best network's lineage: its own folder and, back to generation 0, the folder of the network
 * each generation's started from (its slot's previous step, or the parent it was mixed from);</li>
 * <li>each member's latest checkpoint that counts (status.members[].checkpoint, e.g. a dropped one's).</li>
 * </ul>
 * Nothing the status references is ever listed.
 */
public final class Retention {
    private Retention() {
    }

    /** A member's step: the folder {@code members/<member>/gen-<generation>}. */
    public record Step(int member, int generation) {
        public String folder() {
            return CheckpointLayout.relativeMemberDir(member, generation);
        }
    }

    /** Every step folder of the search that may be deleted now, member by member, oldest first. */
    public static List<String> prunable(SearchStatus status, int keepGenerations) {
        List<String> out = new ArrayList<>();
        for (MemberStatus m : status.members()) {
            out.addAll(prunable(status, keepGenerations, m.id()));
        }
        return out;
    }

    /** The step folders of one member that may be deleted now (a member pod prunes its own slot). */
    public static List<String> prunable(SearchStatus status, int keepGenerations, int member) {
        if (keepGenerations < 1) {
            throw new IllegalArgumentException("keepGenerations must be >= 1, got " + keepGenerations);
        }
        int cutoff = slowest(status) - keepGenerations;
        Set<Step> kept = kept(status);
        MemberStatus m = status.member(member);
        List<String> out = new ArrayList<>();
        for (int g = 0; g < Math.min(cutoff, m.stepsDone()); g++) {
            if (!kept.contains(new Step(member, g))) {
                out.add(new Step(member, g).folder());
            }
        }
        return out;
    }

    /**
     * What {@link #prunable} depends on besides K: it changes only when this does, so a driver
     * deciding after every member's result need not recompute it each time.
     */
    public static String horizon(SearchStatus status) {
        BestMember b = status.best();
        return slowest(status) + "/" + (b == null ? "-" : b.member() + "@" + b.generation());
    }

    /** The fewest steps finished by a member still in the search (all members when every one is dropped). */
    static int slowest(SearchStatus status) {
        return status.members().stream().filter(m -> m.state() != MemberState.DROPPED)
                .mapToInt(MemberStatus::stepsDone).min()
                .orElse(status.members().stream().mapToInt(MemberStatus::stepsDone).min().orElse(0));
    }

    /** The best network's lineage and every member's latest counting checkpoint. */
    static Set<Step> kept(SearchStatus status) {
        Set<Step> kept = new HashSet<>();
        for (MemberStatus m : status.members()) {
            for (int g = m.stepsDone() - 1; g >= 0; g--) {
                if (m.checkpointAt(g).isPresent()) {
                    kept.add(new Step(m.id(), g));
                    break;
                }
            }
        }
        BestMember best = status.best();
        if (best == null || best.member() == null || best.generation() == null) {
            return kept;
        }
        int slot = best.member();
        for (int g = best.generation(); g >= 0; g--) {
            kept.add(new Step(slot, g));
            Optional<LineageEntry> started = status.member(slot).startedAt(g);
            if (started.isPresent() && started.get().parent() != null) {
                slot = started.get().parent(); // the network of generation g came from the parent's g - 1
            }
        }
        return kept;
    }
}
