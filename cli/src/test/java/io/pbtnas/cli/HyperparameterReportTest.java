package io.pbtnas.cli;

import io.pbtnas.cli.steps.HistoryFile;
import io.pbtnas.cli.local.StatusView;
import io.pbtnas.cli.report.HtmlReport;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.model.Arrival;
import io.pbtnas.core.model.MemberStatus;
import io.pbtnas.core.model.SearchStatus;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each member's hyperparameter values per step, in history.json and as one plot per hyperparameter. */
class HyperparameterReportTest {
    static SearchStatus withHparams() {
        SearchStatus s = ReportTest.status();
        List<MemberStatus> members = new ArrayList<>();
        for (MemberStatus m : s.members()) {
            double lr = 1e-3 * (m.id() + 1);
            members.add(new MemberStatus(m.id(), m.genome(), m.scores(), m.replacedAt(), m.failedAt(), m.lineage(),
                    m.checkpoint(), m.attempts(), m.state(), m.message(),
                    List.of(Map.of("learningRate", lr, "batchSize", 32), Map.of("learningRate", lr * 1.2,
                            "batchSize", 64))));
        }
        return new SearchStatus(s.phase(), s.generation(), s.best(), members, s.conditions(), s.observedGeneration(),
                s.message(), List.of(new Arrival(0, 0, 0, 0.5, Arrival.Verdict.KEPT, 4)));
    }

    @Test
    void theReportPlotsEachHyperparameterPerMemberOverTraining() {
        String html = HtmlReport.render(StatusView.report("s", ReportTest.spec(null), withHparams()));
        for (String name : List.of("learningRate", "batchSize")) {
            int at = html.indexOf("<svg class=\"hparam\" id=\"hparam-" + name + "\"");
            assertTrue(at >= 0, "a plot of " + name);
            String svg = html.substring(at, html.indexOf("</svg>", at));
            assertEquals(4, EndToEndTest.count(svg, "class=\"member-line\""), "a line per member");
            assertEquals(1, EndToEndTest.count(svg, "class=\"replaced-point\""), "the child's start is marked");
        }
        assertTrue(html.contains("member 1, step 1: batchSize = 64 (a child"), "values in the tooltips");
        assertTrue(html.contains(">learningRate (log)<") || html.contains(">learningRate<"));
        assertFalse(HtmlReport.render(StatusView.report("s", ReportTest.spec(null), ReportTest.status()))
                .contains("class=\"hparam\""), "no hyperparameters, no plots");
    }

    @Test
    void historyHasEachMembersValuesPerStepAndTheArrivalLog() throws Exception {
        var tree = Json.MAPPER.valueToTree(HistoryFile.content("s", withHparams()));
        assertEquals(64, tree.get("hparams").get("2").get(1).get("batchSize").asInt());
        assertEquals(0.003, tree.get("hparams").get("2").get(0).get("learningRate").asDouble(), 1e-15);
        assertEquals("kept", tree.get("arrivals").get(0).get("verdict").asText());
        var plain = Json.MAPPER.valueToTree(HistoryFile.content("s", ReportTest.status()));
        assertFalse(plain.has("hparams") || plain.has("arrivals"), plain.toString());
    }
}
