package io.pbtnas.cli.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

import static io.pbtnas.cli.report.Html.esc;
import static io.pbtnas.cli.report.Html.num;

/**
 * The asynchronous schedule on the wall clock: one row per member slot, one bar per arrival from the
 * attempt's start to its finish, coloured by step; a diamond where the member was replaced (a child
 * trains its next step), an open circle where it went on unjudged. Below, a strip shaded wherever fewer
 * trainers ran than the search may run at once (spec.parallelism: the GPUs), i.e. where GPUs waited.
 */
final class TimelineChart {
    static final int WIDTH = 760;
    private static final int LEFT = 70;
    private static final int RIGHT = 110;
    private static final int TOP = 16;
    private static final int ROW = 22;
    private static final int STRIP = 18;
    private static final int BOTTOM = 40;
    private static final int MAX_TICKS = 7;

    private TimelineChart() {
    }

    /** The steps that can be drawn as bars: both times known, finish not before start. */
    static List<ReportData.Step> bars(ReportData.Timeline t) {
        return t.steps().stream().filter(s -> s.started() != null && s.finished() != null
                && !s.finished().isBefore(s.started())).toList();
    }

    /** Share of slot-seconds no trainer used between the first start and the last finish; NaN without bars. */
    static double idleShare(ReportData.Timeline t) {
        List<ReportData.Step> bars = bars(t);
        if (bars.isEmpty()) {
            return Double.NaN;
        }
        Instant t0 = bars.stream().map(ReportData.Step::started).min(Comparator.naturalOrder()).orElseThrow();
        Instant t1 = bars.stream().map(ReportData.Step::finished).max(Comparator.naturalOrder()).orElseThrow();
        double span = seconds(t0, t1);
        double busy = bars.stream().mapToDouble(s -> seconds(s.started(), s.finished())).sum();
        return span <= 0 ? 0 : Math.max(0, 1 - busy / (t.slots() * span));
    }

    static String render(ReportData d) {
        ReportData.Timeline t = d.timeline();
        List<ReportData.Step> bars = bars(t);
        int undrawn = t.steps().size() - bars.size();
        String note = undrawn == 0 ? "" : "<p class=\"summary\" id=\"timeline-undrawn\">" + undrawn
                + " result(s) without a start and finish time are not drawn (recorded before times were kept, "
                + "or found finished on disk after a restart).</p>\n";
        if (bars.isEmpty()) {
            return "<p class=\"summary\" id=\"timeline-empty\">No wall-clock times in this status yet.</p>\n" + note;
        }
        TreeSet<Integer> rows = new TreeSet<>();
        d.members().forEach(m -> rows.add(m.id()));
        t.steps().forEach(s -> rows.add(s.member()));
        List<Integer> members = new ArrayList<>(rows);
        Instant t0 = bars.stream().map(ReportData.Step::started).min(Comparator.naturalOrder()).orElseThrow();
        Instant t1 = bars.stream().map(ReportData.Step::finished).max(Comparator.naturalOrder()).orElseThrow();
        double span = Math.max(seconds(t0, t1), 1e-3);
        boolean minutes = span > 600;
        double unit = minutes ? 60 : 1;
        double plotW = WIDTH - LEFT - RIGHT;
        int plotH = members.size() * ROW;
        int stripY = TOP + plotH + 8;
        int height = stripY + STRIP + BOTTOM;
        java.util.function.Function<Instant, Double> x = i -> LEFT + plotW * seconds(t0, i) / span;
        int gens = Math.max(1, d.generations());

        StringBuilder b = new StringBuilder();
        b.append("<p class=\"summary\" id=\"timeline-idle\">").append(t.slots())
                .append(" trainer(s) at once (spec.parallelism). Idle share of those slots between the first start ")
                .append("and the last finish: <b>").append(String.format(Locale.ROOT, "%.1f", 100 * idleShare(t)))
                .append(" %</b>. A gap in a row is a member waiting (for a free slot, or for its judgement).</p>\n");
        b.append("<svg class=\"timeline\" id=\"timeline\" data-x-scale=\"linear\" ")
                .append("xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(height).append("\" role=\"img\" aria-label=\"member steps over wall-clock time\">\n");
        // Time grid: round ticks from 0.
        for (Ticks.Tick tick : Ticks.linear(0, span / unit, MAX_TICKS)) {
            double xx = LEFT + plotW * tick.value() * unit / span;
            b.append("<line class=\"grid\" x1=\"").append(num(xx)).append("\" x2=\"").append(num(xx))
                    .append("\" y1=\"").append(TOP).append("\" y2=\"").append(stripY + STRIP).append("\"/>")
                    .append("<text class=\"tick x-tick\" x=\"").append(num(xx)).append("\" y=\"")
                    .append(stripY + STRIP + 14).append("\" text-anchor=\"middle\">").append(esc(tick.label()))
                    .append("</text>\n");
        }
        b.append("<text class=\"axis-label\" x=\"").append(LEFT + (int) plotW / 2).append("\" y=\"").append(height - 6)
                .append("\" text-anchor=\"middle\">wall time since the first start (")
                .append(minutes ? "minutes" : "seconds").append(")</text>\n");
        for (int r = 0; r < members.size(); r++) {
            b.append("<text class=\"tick\" x=\"").append(LEFT - 6).append("\" y=\"").append(TOP + r * ROW + ROW / 2 + 4)
                    .append("\" text-anchor=\"end\">member ").append(members.get(r)).append("</text>\n");
        }
        for (ReportData.Step s : bars) {
            int r = members.indexOf(s.member());
            double x0 = x.apply(s.started());
            double x1 = Math.max(x.apply(s.finished()), x0 + 1);
            double y0 = TOP + r * ROW + 3;
            String tip = "member " + s.member() + ", step " + s.step() + (s.attempt() > 0 ? " attempt " + s.attempt() : "")
                    + ": " + String.format(Locale.ROOT, "%.1f", seconds(t0, s.started()) / unit) + "–"
                    + String.format(Locale.ROOT, "%.1f", seconds(t0, s.finished()) / unit)
                    + (minutes ? " min" : " s") + ", " + s.verdict();
            boolean failed = "failed".equals(s.verdict()) || "retry".equals(s.verdict());
            b.append("<rect class=\"step-bar\" data-member=\"").append(s.member()).append("\" data-step=\"")
                    .append(s.step()).append("\" data-verdict=\"").append(esc(s.verdict())).append("\" x=\"")
                    .append(num(x0)).append("\" y=\"").append(num(y0)).append("\" width=\"").append(num(x1 - x0))
                    .append("\" height=\"").append(ROW - 6).append("\" fill=\"").append(stepColor(s.step(), gens))
                    .append("\" stroke=\"").append(failed ? "#d62728" : "#fff").append("\" stroke-width=\"")
                    .append(failed ? 2 : 1).append("\"><title>").append(esc(tip)).append("</title></rect>");
            if (x1 - x0 > 14) {
                b.append("<text class=\"bar-label\" x=\"").append(num((x0 + x1) / 2)).append("\" y=\"")
                        .append(num(y0 + ROW / 2.0 + 1)).append("\" text-anchor=\"middle\" fill=\"#fff\">")
                        .append(s.step()).append("</text>");
            }
            double cy = y0 + (ROW - 6) / 2.0;
            if ("replaced".equals(s.verdict())) {
                b.append("<path class=\"replaced-mark\" d=\"M").append(num(x1)).append(',').append(num(cy - 6))
                        .append(" l6,6 l-6,6 l-6,-6 z\" fill=\"#000\"><title>member ").append(s.member())
                        .append(" replaced after step ").append(s.step()).append("</title></path>");
            } else if ("unjudged".equals(s.verdict())) {
                b.append("<circle class=\"unjudged-mark\" cx=\"").append(num(x1)).append("\" cy=\"").append(num(cy))
                        .append("\" r=\"4\" fill=\"#fff\" stroke=\"#000\"><title>member ").append(s.member())
                        .append(" went on unjudged after step ").append(s.step()).append("</title></circle>");
            }
            b.append('\n');
        }
        // Where GPUs waited: fewer trainers than slots ran.
        b.append("<text class=\"tick\" x=\"").append(LEFT - 6).append("\" y=\"").append(stripY + STRIP / 2 + 4)
                .append("\" text-anchor=\"end\">idle GPUs</text>\n");
        for (double[] seg : idleSegments(bars, t.slots())) {
            double xa = LEFT + plotW * seg[0] / span;
            double xb = LEFT + plotW * seg[1] / span;
            b.append("<rect class=\"idle\" x=\"").append(num(xa)).append("\" y=\"").append(stripY).append("\" width=\"")
                    .append(num(Math.max(xb - xa, 0.5))).append("\" height=\"").append(STRIP)
                    .append("\" fill=\"#d62728\" fill-opacity=\"").append(String.format(Locale.ROOT, "%.2f",
                            seg[2] / t.slots())).append("\"><title>").append((int) seg[2]).append(" of ")
                    .append(t.slots()).append(" idle</title></rect>");
        }
        b.append("\n<rect x=\"").append(LEFT).append("\" y=\"").append(stripY).append("\" width=\"").append(num(plotW))
                .append("\" height=\"").append(STRIP).append("\" fill=\"none\" stroke=\"#bbb\"/>\n");
        int ly = TOP;
        for (int g = 0; g < gens; g++) {
            b.append("<g class=\"legend\"><rect x=\"").append(WIDTH - RIGHT + 16).append("\" y=\"").append(ly)
                    .append("\" width=\"12\" height=\"12\" fill=\"").append(stepColor(g, gens)).append("\"/>")
                    .append("<text x=\"").append(WIDTH - RIGHT + 34).append("\" y=\"").append(ly + 10)
                    .append("\">step ").append(g).append("</text></g>\n");
            ly += 16;
        }
        b.append("</svg>\n");
        return b.append("<p class=\"summary\">Bar: one training step of a member, from its start to its finish, ")
                .append("coloured by step. ◆ replaced: a child of two top members trains the next step in this ")
                .append("slot. ○ went on unjudged (too few scores of that step yet, and a GPU would otherwise ")
                .append("have idled). Red outline: the attempt failed. Red strip: GPUs idle (darker: more of them).</p>\n")
                .append(note).toString();
    }

    /** [from, to, idle slots] in seconds since the first start, wherever fewer than {@code slots} bars overlap. */
    static List<double[]> idleSegments(List<ReportData.Step> bars, int slots) {
        Instant t0 = bars.stream().map(ReportData.Step::started).min(Comparator.naturalOrder()).orElseThrow();
        List<double[]> events = new ArrayList<>();
        for (ReportData.Step s : bars) {
            events.add(new double[] {seconds(t0, s.started()), +1});
            events.add(new double[] {seconds(t0, s.finished()), -1});
        }
        events.sort(Comparator.<double[]>comparingDouble(e -> e[0]).thenComparingDouble(e -> e[1]));
        List<double[]> out = new ArrayList<>();
        int running = 0;
        double last = 0;
        for (double[] e : events) {
            if (e[0] > last && running < slots) {
                out.add(new double[] {last, e[0], slots - running});
            }
            running += (int) e[1];
            last = e[0];
        }
        return out;
    }

    private static double seconds(Instant a, Instant b) {
        return Duration.between(a, b).toNanos() / 1e9;
    }

    /** Step colours from blue (first) to orange (last), distinct for the first dozen. */
    static String stepColor(int step, int steps) {
        double f = steps <= 1 ? 0 : (double) step / (steps - 1);
        return String.format(Locale.ROOT, "hsl(%d,65%%,%d%%)", Math.round(215 - 185 * f), Math.round(42 + 8 * f));
    }
}
