package io.pbtnas.cli.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.pbtnas.cli.report.Html.esc;
import static io.pbtnas.cli.report.Html.num;

/**
 * One SVG line chart per hyperparameter: each member slot's value at every step it trained (the PBT
 * policy log), a diamond where a child started with its parent's explored values. A log axis when
 * every value is positive and they span more than a factor of 10, as learning rates do.
 */
final class HyperparameterChart {
    static final int WIDTH = 760;
    static final int HEIGHT = 260;
    private static final int LEFT = 70;
    private static final int RIGHT = 110;
    private static final int TOP = 16;
    private static final int BOTTOM = 40;
    private static final int MAX_TICKS = 7;

    private HyperparameterChart() {
    }

    /** The names any member has a value for, in first-seen order. */
    static List<String> names(ReportData d) {
        Set<String> out = new LinkedHashSet<>();
        d.members().forEach(m -> m.hparams().forEach(h -> out.addAll(h.keySet())));
        return List.copyOf(out);
    }

    static String render(ReportData d, String name) {
        int gens = Math.max(1, d.generations());
        List<Double> all = new ArrayList<>();
        for (ReportData.MemberSeries m : d.members()) {
            for (Map<String, Object> h : m.hparams()) {
                if (h.get(name) instanceof Number n) {
                    all.add(n.doubleValue());
                }
            }
        }
        double lo = all.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double hi = all.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        boolean log = lo > 0 && hi / lo > 10;
        java.util.function.DoubleUnaryOperator t = v -> log ? Math.log10(v) : v;
        double tlo = t.applyAsDouble(lo);
        double thi = t.applyAsDouble(hi);
        if (thi - tlo < 1e-12) {
            double w = thi == 0 ? 1 : Math.abs(thi) * 0.05;
            tlo -= w;
            thi += w;
        }
        double pad = (thi - tlo) * 0.08;
        double ymin = tlo - pad;
        double ymax = thi + pad;
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        java.util.function.IntToDoubleFunction x = g -> LEFT + (gens == 1 ? plotW / 2 : plotW * g / (gens - 1));
        java.util.function.DoubleUnaryOperator y = v -> TOP + plotH * (1 - (t.applyAsDouble(v) - ymin) / (ymax - ymin));

        StringBuilder b = new StringBuilder();
        b.append("<svg class=\"hparam\" id=\"hparam-").append(esc(name)).append("\" data-y-scale=\"")
                .append(log ? "log" : "linear").append("\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(WIDTH).append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH)
                .append(' ').append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"").append(esc(name)).append(" per member over training\">\n");
        List<Ticks.Tick> ticks = log ? Ticks.log(Math.pow(10, ymin), Math.pow(10, ymax), MAX_TICKS)
                : Ticks.linear(ymin, ymax, MAX_TICKS);
        for (Ticks.Tick tick : ticks) {
            double yy = y.applyAsDouble(tick.value());
            b.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
                    .append("\" y1=\"").append(num(yy)).append("\" y2=\"").append(num(yy)).append("\"/>")
                    .append("<text class=\"tick y-tick\" x=\"").append(LEFT - 6).append("\" y=\"")
                    .append(num(yy + 4)).append("\" text-anchor=\"end\">").append(esc(tick.label()))
                    .append("</text>\n");
        }
        for (int g = 0; g < gens; g++) {
            b.append("<text class=\"tick\" x=\"").append(num(x.applyAsDouble(g))).append("\" y=\"")
                    .append(HEIGHT - BOTTOM + 16).append("\" text-anchor=\"middle\">").append(g).append("</text>");
        }
        b.append("<text class=\"axis-label\" x=\"").append(LEFT + (int) plotW / 2).append("\" y=\"")
                .append(HEIGHT - 6).append("\" text-anchor=\"middle\">step (generation)</text>\n");
        b.append("<text class=\"axis-label\" transform=\"rotate(-90)\" x=\"").append(-(TOP + (int) plotH / 2))
                .append("\" y=\"14\" text-anchor=\"middle\">").append(esc(name)).append(log ? " (log)" : "")
                .append("</text>\n");
        for (ReportData.MemberSeries m : d.members()) {
            String color = Html.color(m.id());
            StringBuilder pts = new StringBuilder();
            StringBuilder marks = new StringBuilder();
            for (int g = 0; g < m.hparams().size(); g++) {
                if (!(m.hparams().get(g).get(name) instanceof Number n)) {
                    continue;
                }
                double cx = x.applyAsDouble(g);
                double cy = y.applyAsDouble(n.doubleValue());
                pts.append(num(cx)).append(',').append(num(cy)).append(' ');
                boolean child = ScoreChart.replacedAt(d, m.id(), g);
                String tip = "member " + m.id() + ", step " + g + ": " + name + " = "
                        + d.hyperparameters().format(name, n)
                        + (child ? " (a child: its parent's value, explored)" : "");
                if (child) {
                    marks.append("<path class=\"replaced-point\" fill=\"").append(color).append("\" d=\"M")
                            .append(num(cx)).append(',').append(num(cy - 6)).append(" l6,6 l-6,6 l-6,-6 z\">");
                } else {
                    marks.append("<circle class=\"point\" r=\"3\" fill=\"").append(color).append("\" cx=\"")
                            .append(num(cx)).append("\" cy=\"").append(num(cy)).append("\">");
                }
                marks.append("<title>").append(esc(tip)).append("</title>").append(child ? "</path>" : "</circle>");
            }
            b.append("<g class=\"member\" data-member=\"").append(m.id()).append("\">")
                    .append("<polyline class=\"member-line\" fill=\"none\" stroke=\"").append(color)
                    .append("\" stroke-width=\"2\" points=\"").append(pts.toString().trim()).append("\"/>")
                    .append(marks).append("</g>\n");
        }
        int ly = TOP;
        for (ReportData.MemberSeries m : d.members()) {
            b.append("<g class=\"legend\"><rect x=\"").append(WIDTH - RIGHT + 16).append("\" y=\"").append(ly)
                    .append("\" width=\"12\" height=\"12\" fill=\"").append(Html.color(m.id())).append("\"/>")
                    .append("<text x=\"").append(WIDTH - RIGHT + 34).append("\" y=\"").append(ly + 10)
                    .append("\">member ").append(m.id()).append("</text></g>\n");
            ly += 18;
        }
        return b.append("</svg>\n").toString();
    }
}
