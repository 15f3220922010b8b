package io.pbtnas.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.core.engine.Retention;
import io.pbtnas.core.model.LineageEntry;
import io.pbtnas.core.model.MemberStatus;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.core.model.Strategy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** storage.keepGenerations: what may be deleted never includes a folder the search still reads. */
class RetentionTest {
    static String folder(String checkpoint) {
        return checkpoint.substring(0, checkpoint.indexOf("/gen-")) + checkpoint.substring(checkpoint.indexOf("/gen-"),
                checkpoint.indexOf('/', checkpoint.indexOf("/gen-") + 1));
    }

    /** Every folder an action of {@code d} reads, and the status's own references. */
    static Set<String> inUse(Decision d) {
        Set<String> used = new HashSet<>();
        for (Action a : d.actions()) {
            if (a instanceof Action.Train t) {
                if (t.inputCheckpoint() != null) {
                    used.add(folder(t.inputCheckpoint()));
                }
                if (t.mix() != null) {
                    used.add(folder(t.mix().parentCheckpoint()));
                    used.add(folder(t.mix().donorCheckpoint()));
                }
            }
        }
        if (d.status().best() != null) {
            used.add(folder(d.status().best().checkpoint()));
        }
        d.status().members().stream().map(MemberStatus::checkpoint).filter(c -> c != null)
                .forEach(c -> used.add(folder(c)));
        return used;
    }

    static void neverPrunesWhatIsInUse(List<Decision> decisions, int keep) {
        for (Decision d : decisions) {
            List<String> prunable = Retention.prunable(d.status(), keep);
            for (String used : inUse(d)) {
                assertFalse(prunable.contains(used), used + " is in use but prunable: " + d.status());
            }
        }
    }

    @Test
    void theSynchronousScheduleKeepsTheLastGenerationsTheBestsLineageAndWhatStepsRead() {
        List<Decision> decisions = new Simulation().run(EngineTest.spec(Strategy.PBT_NAS, 8, 8),
                Simulation::succeed).decisions;
        neverPrunesWhatIsInUse(decisions, 1);
        neverPrunesWhatIsInUse(decisions, 3);
        SearchStatus end = decisions.get(decisions.size() - 1).status();
        List<String> prunable = Retention.prunable(end, 2);
        // Complete after 8 generations: 6..7 are kept; of 0..5 only the lineage and latest checkpoints.
        Set<String> lineage = lineage(end);
        assertEquals(8, lineage.size(), "one folder per generation: " + lineage);
        int expected = 0;
        for (MemberStatus m : end.members()) {
            for (int g = 0; g < 6; g++) {
                String f = "members/" + m.id() + "/gen-" + g;
                assertEquals(!lineage.contains(f), prunable.contains(f), f);
                expected += lineage.contains(f) ? 0 : 1;
            }
            assertFalse(prunable.contains("members/" + m.id() + "/gen-6"));
        }
        assertEquals(expected, prunable.size());
        assertTrue(prunable.size() > 8 * 6 - 8, "most old folders go: " + prunable.size());
    }

    @Test
    void theAsynchronousScheduleKeepsEveryStepALaterJudgementCanStillUse() {
        List<Decision> decisions = AsynchronousTest.run(AsynchronousTest.async(8, 8)).decisions;
        neverPrunesWhatIsInUse(decisions, 1);
        boolean pruned = decisions.stream().anyMatch(d -> !Retention.prunable(d.status(), 1).isEmpty());
        assertTrue(pruned, "a long asynchronous search prunes something");
    }

    @Test
    void keepGenerationsBelowOneIsRefused() {
        SearchStatus s = new Simulation().run(EngineTest.spec(Strategy.PBT_NAS, 8, 2), Simulation::succeed).status;
        assertThrows(IllegalArgumentException.class, () -> Retention.prunable(s, 0));
    }

    /** The best network's ancestry: its folder, then back through the slot or the parent it came from. */
    static Set<String> lineage(SearchStatus s) {
        Set<String> out = new HashSet<>();
        int slot = s.best().member();
        for (int g = s.best().generation(); g >= 0; g--) {
            out.add("members/" + slot + "/gen-" + g);
            LineageEntry e = s.member(slot).startedAt(g).orElse(null);
            if (e != null && e.parent() != null) {
                slot = e.parent();
            }
        }
        return out;
    }
}
