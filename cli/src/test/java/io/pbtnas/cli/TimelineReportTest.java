package io.pbtnas.cli;

import io.pbtnas.cli.local.StatusView;
import io.pbtnas.cli.report.HtmlReport;
import io.pbtnas.cli.support.TickLabels;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.model.Arrival;
import io.pbtnas.core.model.Schedule;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.SearchStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The asynchronous schedule's timeline in report.html: member × wall time, one bar per arrival. */
class TimelineReportTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    static SearchSpec async(int parallelism) {
        return new SearchSpec(null, 4, 2, null, null, null, null, null, null, null, null, parallelism, null, null,
                Schedule.ASYNCHRONOUS).withDefaults();
    }

    static String at(int seconds) {
        return T0.plusSeconds(seconds).toString();
    }

    /**
     * Two slots, four members, two steps. At most two bars overlap anywhere, and only [40 s, 44 s] has one
     * slot idle: busy 84 slot-seconds of 2 × 44, an idle share of 4/88 = 4.5 %.
     */
    static List<Arrival> log() {
        return List.of(
                new Arrival(0, 0, 0, 0.5, Arrival.Verdict.KEPT, 2, at(0), at(10)),
                new Arrival(1, 0, 0, 0.1, Arrival.Verdict.REPLACED, 2, at(0), at(12)),
                new Arrival(2, 0, 0, 0.4, Arrival.Verdict.UNJUDGED, null, at(10), at(20)),
                new Arrival(3, 0, 0, 0.2, Arrival.Verdict.KEPT, 4, at(12), at(26)),
                new Arrival(0, 1, 0, 0.9, Arrival.Verdict.LAST, null, at(20), at(30)),
                new Arrival(1, 1, 0, 0.3, Arrival.Verdict.LAST, null, at(26), at(36)),
                new Arrival(2, 1, 0, 0.6, Arrival.Verdict.LAST, null, at(30), at(40)),
                new Arrival(3, 1, 0, 0.5, Arrival.Verdict.LAST, null, at(36), at(44)));
    }

    static SearchStatus status(List<Arrival> arrivals) {
        SearchStatus s = ReportTest.status();
        return new SearchStatus(s.phase(), s.generation(), s.best(), s.members(), s.conditions(),
                s.observedGeneration(), s.message(), arrivals);
    }

    static String timeline(String html) {
        int at = html.indexOf("<svg class=\"timeline\"");
        assertTrue(at >= 0, "a timeline: " + html);
        return html.substring(at, html.indexOf("</svg>", at));
    }

    @Test
    void oneBarPerArrivalForItsMemberAndStepWithReplacementsAndIdleGpusMarked() {
        String html = HtmlReport.render(StatusView.report("s", async(2), status(log())));
        String svg = timeline(html);
        assertEquals(8, EndToEndTest.count(svg, "class=\"step-bar\""), "a bar per arrival");
        for (Arrival a : log()) {
            String bar = "class=\"step-bar\" data-member=\"" + a.member() + "\" data-step=\"" + a.step()
                    + "\" data-verdict=\"" + Json.MAPPER.convertValue(a.verdict(), String.class) + "\"";
            assertEquals(1, EndToEndTest.count(svg, bar), bar);
        }
        assertEquals(1, EndToEndTest.count(svg, "class=\"replaced-mark\""), "member 1's replacement after step 0");
        assertEquals(1, EndToEndTest.count(svg, "class=\"unjudged-mark\""), "member 2 went on unjudged");
        assertEquals(1, EndToEndTest.count(svg, "class=\"idle\""), "one slot idle, from 40 s to 44 s");
        assertTrue(html.contains("<b>4.5 %</b>"), "idle share 4/88 in the summary line");
        // Bar geometry: member 3's last step spans 36 s..44 s, the right end of the plot.
        assertTrue(svg.contains("member 3, step 1: 36.0–44.0 s, last"), svg);
    }

    @Test
    void theTimeAxisHasRoundTicksFromZero() {
        String html = HtmlReport.render(StatusView.report("s", async(2), status(log())));
        List<String> ticks = TickLabels.labels(html, "<svg class=\"timeline\"", "x-tick");
        assertEquals(List.of("0", "10", "20", "30", "40"), ticks, "0..44 s");
        TickLabels.assertRound(ticks, false);
    }

    @Test
    void arrivalsWithoutTimesStillRender() throws Exception {
        // A status recorded before times were kept: the JSON has no startedAt/finishedAt.
        String old = "{\"member\":0,\"step\":0,\"attempt\":0,\"score\":0.5,\"verdict\":\"kept\",\"ranked\":2}";
        Arrival untimed = Json.MAPPER.readValue(old, Arrival.class);
        assertEquals(null, untimed.startedAt());
        String none = HtmlReport.render(StatusView.report("s", async(2), status(List.of(untimed))));
        assertTrue(none.contains("id=\"timeline-empty\""), none);
        assertFalse(none.contains("class=\"step-bar\""));
        assertTrue(none.contains("id=\"best\"") && none.contains("id=\"population\""), "the rest of the report");

        List<Arrival> mixed = new ArrayList<>(log());
        mixed.set(0, mixed.get(0).at(null, null));
        mixed.set(1, mixed.get(1).at(null, at(12))); // found finished on disk after a restart: no start
        String html = HtmlReport.render(StatusView.report("s", async(2), status(mixed)));
        assertEquals(6, EndToEndTest.count(timeline(html), "class=\"step-bar\""));
        assertTrue(html.contains("2 result(s) without a start and finish time are not drawn"), html);
    }

    @Test
    void aSynchronousSearchHasNoTimeline() {
        String html = HtmlReport.render(StatusView.report("s", ReportTest.spec(null), status(log())));
        assertFalse(html.contains("class=\"timeline\""));
        assertFalse(html.contains("Timeline:"));
    }
}
