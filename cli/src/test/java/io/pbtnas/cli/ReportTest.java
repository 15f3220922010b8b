package io.pbtnas.cli;

import io.pbtnas.cli.local.StatusView;
import io.pbtnas.cli.output.GenerationSummary;
import io.pbtnas.cli.report.HtmlReport;
import io.pbtnas.cli.report.ReportData;
import io.pbtnas.core.model.BestMember;
import io.pbtnas.core.model.LineageEntry;
import io.pbtnas.core.model.MemberState;
import io.pbtnas.core.model.MemberStatus;
import io.pbtnas.core.model.Objective;
import io.pbtnas.core.model.Phase;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.SearchStatus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pure views: per-generation summary line, and the report page built from a status. */
class ReportTest {
    static MemberStatus member(int id, List<Double> scores, LineageEntry... extra) {
        List<LineageEntry> lineage = new java.util.ArrayList<>(List.of(LineageEntry.initial(0)));
        lineage.addAll(List.of(extra));
        return new MemberStatus(id, Map.of("cell0", id % 2 == 0 ? "conv3x3" : "skip"), scores,
                lineage.stream().skip(1).map(LineageEntry::generation).toList(), List.of(), lineage,
                "members/" + id + "/gen-1/model.safetensors", 0, MemberState.DONE, null);
    }

    static final LineageEntry MIX = new LineageEntry(1, LineageEntry.Kind.MIX, 0, 2, List.of("cell0"), null, 0.4,
            0.1, 9L);

    static SearchStatus status() {
        return new SearchStatus(Phase.COMPLETE, 1, new BestMember(0, 0.9, Map.of("cell0", "conv3x3"),
                "members/0/gen-1/model.safetensors", 1),
                List.of(member(0, List.of(0.5, 0.9)), member(1, List.of(0.1, 0.3), MIX), member(2, List.of(0.4, 0.6)),
                        member(3, List.of(0.2, 0.5))), List.of(), null, "done");
    }

    static SearchSpec spec(Objective objective) {
        return new SearchSpec(null, 4, 2, null, objective, null, null, null, null, null, null, null, null)
                .withDefaults();
    }

    @Test
    void generationSummaryHasBestMedianAndTheReplacementsThatFollow() {
        GenerationSummary g0 = StatusView.generation(spec(Objective.MAXIMIZE), status(), 0);
        assertEquals(0, g0.bestMember());
        assertEquals(0.5, g0.best());
        assertEquals((0.2 + 0.4) / 2, g0.median(), 1e-12);
        assertEquals(1, g0.replacements().size());
        ReportData.Replacement r = g0.replacements().get(0);
        assertEquals(List.of(1, 1, 0, 2, "cell0"), List.of(r.generation(), r.child(), r.parent(), r.donor(),
                r.swappedGenes().get(0)));
        GenerationSummary min = StatusView.generation(spec(Objective.MINIMIZE), status(), 0);
        assertEquals(1, min.bestMember(), "minimize: the lowest score is best");
        assertTrue(StatusView.generation(spec(Objective.MAXIMIZE), status(), 1).replacements().isEmpty());
    }

    @Test
    void reportShowsEveryMemberTheLineageAndTheBestGenome() {
        String html = HtmlReport.render(StatusView.report("demo<x>", spec(Objective.MAXIMIZE), status()));
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("demo&lt;x&gt;"), "names are escaped");
        assertFalse(html.contains("demo<x>"));
        assertEquals(4, EndToEndTest.count(html, "class=\"member-line\""));
        assertEquals(1, EndToEndTest.count(html, "class=\"replacement\""));
        assertTrue(html.contains("data-child=\"1\" data-parent=\"0\" data-donor=\"2\""), "who replaced whom");
        assertEquals(1, EndToEndTest.count(html, "class=\"replaced-point\""), "the child's point is marked");
        assertTrue(html.contains("<td>cell0</td><td>conv3x3</td>"), "best genome");
        assertTrue(html.contains("0.9000"));
    }
}
