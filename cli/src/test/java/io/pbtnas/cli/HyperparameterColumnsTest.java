package io.pbtnas.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.pbtnas.cli.local.StatusView;
import io.pbtnas.cli.output.FinalSummary;
import io.pbtnas.cli.output.HumanOutput;
import io.pbtnas.cli.output.JsonOutput;
import io.pbtnas.cli.report.HtmlReport;
import io.pbtnas.cli.support.TickLabels;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.model.BestMember;
import io.pbtnas.core.model.MemberStatus;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.core.space.Gene;
import io.pbtnas.core.space.Hyperparameter;
import io.pbtnas.core.space.SearchSpace;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The values a search explores are shown wherever its members are: the report's "Best network" (beside the
 * genes) and Population table, and `pbtnas run`'s final table, all written by the one HparamFormat; a search
 * without hyperparameters gets no extra column. Also: the report's charts have round tick labels.
 */
class HyperparameterColumnsTest {
    static final List<Hyperparameter> HPARAMS = List.of(Hyperparameter.logUniform("learningRate", 1e-4, 1e-2),
            Hyperparameter.choice("batchSize", List.of(32, 64)));

    /** ReportTest's spec with learningRate (log-uniform) and batchSize (a choice) explored. */
    static SearchSpec spec() {
        SearchSpace space = new SearchSpace(List.of(new Gene("cell0", "cell0.", List.of("conv3x3", "skip"))),
                HPARAMS);
        return new SearchSpec(null, 4, 2, null, null, null, null, null, space, null, null, null, null)
                .withDefaults();
    }

    static String human(FinalSummary s) {
        return capture(out -> new HumanOutput(out, out, false).finished(s));
    }

    static String capture(Consumer<PrintStream> body) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(b, true, StandardCharsets.UTF_8);
        body.accept(out);
        return b.toString(StandardCharsets.UTF_8);
    }

    static FinalSummary summary(SearchSpec spec, SearchStatus status) {
        return new FinalSummary("s", 0, 0.9, Map.of("cell0", "conv3x3"), "/w/best", "/w/report.html",
                StatusView.rows(spec, status), 12.5,
                spec.searchSpace() == null ? null : spec.searchSpace().hyperparameters());
    }

    @Test
    void theReportShowsTheBestNetworksValuesBesideItsGenes() {
        String html = HtmlReport.render(StatusView.report("s", spec(), HyperparameterReportTest.withHparams()));
        int at = html.indexOf("<table id=\"best-hparams\">");
        assertTrue(at > html.indexOf("<table id=\"best-genome\">") && at < html.indexOf("</section>"),
                "in the Best network section, after the genes: " + html);
        String best = html.substring(at, html.indexOf("</table>", at));
        // Member 0 is best in generation 1: step 1 trained with learningRate 1.2e-3, batchSize 64.
        assertTrue(best.contains("<td>learningRate</td><td class=\"num\" data-hparam=\"learningRate\">1.2e-3</td>"),
                best);
        assertTrue(best.contains("<td>batchSize</td><td class=\"num\" data-hparam=\"batchSize\">64</td>"), best);
    }

    @Test
    void thePopulationTableHasAColumnPerHyperparameter() {
        String html = HtmlReport.render(StatusView.report("s", spec(), HyperparameterReportTest.withHparams()));
        String table = html.substring(html.indexOf("<table id=\"population\">"));
        table = table.substring(0, table.indexOf("</table>"));
        assertTrue(table.contains("<th>gen 1</th><th class=\"hparam\">learningRate</th>"
                + "<th class=\"hparam\">batchSize</th><th>genome</th>"), table);
        // Member m: learningRate 1e-3 · (m + 1) · 1.2 in its latest step (the values of the step it trained last).
        List<String> lr = List.of("1.2e-3", "2.4e-3", "3.6e-3", "4.8e-3");
        for (int m = 0; m < 4; m++) {
            String row = table.substring(table.indexOf("data-member=\"" + m + "\""));
            row = row.substring(0, row.indexOf("</tr>"));
            assertTrue(row.contains("<td class=\"num hparam\" data-hparam=\"learningRate\">" + lr.get(m) + "</td>"
                    + "<td class=\"num hparam\" data-hparam=\"batchSize\">64</td>"), row);
        }
        assertTrue(html.contains("learningRate, batchSize: the values of the member's latest step."));
    }

    @Test
    void aSearchWithoutHyperparametersHasNoExtraColumnOrTable() {
        String html = HtmlReport.render(StatusView.report("s", ReportTest.spec(null), ReportTest.status()));
        assertFalse(html.contains("best-hparams"), "no hyperparameter table");
        assertFalse(html.contains("class=\"hparam\"") || html.contains("data-hparam"), "no hyperparameter column");
        assertTrue(html.contains("<th>gen 1</th><th>genome</th>"), "scores, then the genome");
    }

    @Test
    void aSearchWhoseMembersHaveNoValuesYetShowsTheColumnsEmpty() {
        String html = HtmlReport.render(StatusView.report("s", spec(), ReportTest.status()));
        assertTrue(html.contains("<td class=\"num hparam\" data-hparam=\"learningRate\">–</td>"), html);
        assertTrue(html.contains("<td class=\"num\" data-hparam=\"batchSize\">–</td>"), "best: none known");
    }

    @Test
    void theFinalTableOfRunHasAColumnPerHyperparameter() throws Exception {
        String out = human(summary(spec(), HyperparameterReportTest.withHparams()));
        List<String> lines = out.lines().toList();
        assertEquals("member  score     replacements  learningRate batchSize genome", lines.get(1).stripTrailing(),
                out);
        assertEquals("*0      0.9000    0             1.2e-3       64        cell0=conv3x3", lines.get(2), out);
        assertEquals(" 2      0.6000    0             3.6e-3       64        cell0=conv3x3", lines.get(4), out);
        assertTrue(out.contains("best: member 0, score 0.9000, genome cell0=conv3x3, hyperparameters "
                + "learningRate=1.2e-3 batchSize=64"), out);
        // Scripts get the raw values.
        JsonNode json = Json.MAPPER.readTree(capture(o -> new JsonOutput(o).finished(
                summary(spec(), HyperparameterReportTest.withHparams()))));
        assertEquals(0.0036, json.get("population").get(2).get("hparams").get("learningRate").asDouble(), 1e-12);
        assertEquals("learningRate", json.get("hyperparameters").get(0).get("name").asText());
    }

    @Test
    void theFinalTableOfASearchWithoutHyperparametersHasNoExtraColumn() throws Exception {
        SearchSpec spec = ReportTest.spec(null);
        String out = human(summary(spec, ReportTest.status()));
        List<String> lines = out.lines().toList();
        assertEquals("member  score     replacements  genome", lines.get(1).stripTrailing(), out);
        assertEquals("*0      0.9000    0             cell0=conv3x3", lines.get(2), out);
        assertTrue(out.contains("best: member 0, score 0.9000, genome cell0=conv3x3\n")
                || out.contains("best: member 0, score 0.9000, genome cell0=conv3x3" + System.lineSeparator()), out);
        JsonNode json = Json.MAPPER.readTree(capture(o -> new JsonOutput(o).finished(summary(spec,
                ReportTest.status()))));
        assertFalse(json.has("hyperparameters") || json.get("population").get(0).has("hparams"), json.toString());
    }

    @Test
    void everyChartOfTheReportHasRoundTickLabels() {
        String html = HtmlReport.render(StatusView.report("s", spec(), HyperparameterReportTest.withHparams()));
        for (String svg : List.of("<svg id=\"scores\"", "<svg class=\"hparam\" id=\"hparam-learningRate\"",
                "<svg class=\"hparam\" id=\"hparam-batchSize\"")) {
            TickLabels.assertRound(TickLabels.labels(html, svg, "y-tick"),
                    "log".equals(TickLabels.scale(html, svg, "data-y-scale")));
        }
        // Scores 0.1..0.9 (padded by 8 %: 0.036..0.964): steps of 0.2; batch sizes 32..64: steps of 10.
        assertEquals(List.of("0.2", "0.4", "0.6", "0.8"), TickLabels.labels(html, "<svg id=\"scores\"",
                "y-tick"));
        assertEquals(List.of("30", "40", "50", "60"),
                TickLabels.labels(html, "<svg class=\"hparam\" id=\"hparam-batchSize\"", "y-tick"));
    }

    @Test
    void aLearningRateSpanningDecadesGetsALogAxisOfRoundTicks() {
        SearchStatus s = HyperparameterReportTest.withHparams();
        List<MemberStatus> members = new ArrayList<>();
        double[] lr = {0.002, 0.0065, 0.019, 0.06};
        for (MemberStatus m : s.members()) {
            members.add(new MemberStatus(m.id(), m.genome(), m.scores(), m.replacedAt(), m.failedAt(), m.lineage(),
                    m.checkpoint(), m.attempts(), m.state(), m.message(),
                    List.of(Map.of("learningRate", lr[m.id()]), Map.of("learningRate", lr[3 - m.id()]))));
        }
        SearchStatus wide = new SearchStatus(s.phase(), s.generation(), new BestMember(0, 0.9, Map.of("cell0",
                "conv3x3"), null, 1), members, s.conditions(), s.observedGeneration(), s.message(), s.arrivals());
        String html = HtmlReport.render(StatusView.report("s", spec(), wide));
        String svg = "<svg class=\"hparam\" id=\"hparam-learningRate\"";
        assertEquals("log", TickLabels.scale(html, svg, "data-y-scale"));
        List<String> ticks = TickLabels.labels(html, svg, "y-tick");
        assertEquals(List.of("0.002", "0.005", "0.01", "0.02", "0.05"), ticks);
        TickLabels.assertRound(ticks, true);
        // The best network (member 0, generation 1) trained step 1 with lr[3].
        assertTrue(html.contains("<td class=\"num\" data-hparam=\"learningRate\">6e-2</td>"), html);
    }
}
