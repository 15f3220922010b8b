package io.pbtnas.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static io.pbtnas.cli.report.Html.esc;
import static io.pbtnas.cli.report.Html.num;

/** SVG line chart: every member slot's score over the generations; replaced points drawn as diamonds. */
final class ScoreChart {
    static final int WIDTH = 760;
    static final int HEIGHT = 360;
    private static final int LEFT = 60;
    private static final int RIGHT = 110;
    private static final int TOP = 20;
    private static final int BOTTOM = 40;
    private static final int MAX_TICKS = 6;

    private ScoreChart() {
    }

    static String render(ReportData d) {
        int gens = Math.max(1, d.generations());
        List<Double> all = new ArrayList<>();
        d.members().forEach(m -> m.scores().stream().filter(Objects::nonNull).forEach(all::add));
        double lo = all.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double hi = all.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        if (hi - lo < 1e-9) {
            lo -= 0.05;
            hi += 0.05;
        }
        double pad = (hi - lo) * 0.08;
        double ymin = lo - pad;
        double ymax = hi + pad;
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        java.util.function.IntToDoubleFunction x = g -> LEFT + (gens == 1 ? plotW / 2 : plotW * g / (gens - 1));
        java.util.function.DoubleUnaryOperator y = s -> TOP + plotH * (1 - (s - ymin) / (ymax - ymin));

        StringBuilder b = new StringBuilder();
        b.append("<svg id=\"scores\" data-y-scale=\"linear\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(WIDTH)
                .append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(HEIGHT).append("\" role=\"img\" aria-label=\"score per member over generations\">\n");
        // Axes and grid: round ticks.
        for (Ticks.Tick t : Ticks.linear(ymin, ymax, MAX_TICKS)) {
            double yy = y.applyAsDouble(t.value());
            b.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
                    .append("\" y1=\"").append(num(yy)).append("\" y2=\"").append(num(yy)).append("\"/>")
                    .append("<text class=\"tick y-tick\" x=\"").append(LEFT - 6).append("\" y=\"")
                    .append(num(yy + 4)).append("\" text-anchor=\"end\">").append(esc(t.label())).append("</text>\n");
        }
        for (int g = 0; g < gens; g++) {
            b.append("<text class=\"tick\" x=\"").append(num(x.applyAsDouble(g))).append("\" y=\"")
                    .append(HEIGHT - BOTTOM + 16).append("\" text-anchor=\"middle\">").append(g).append("</text>");
        }
        b.append("<text class=\"axis-label\" x=\"").append(LEFT + (int) plotW / 2).append("\" y=\"")
                .append(HEIGHT - 6).append("\" text-anchor=\"middle\">generation</text>\n");
        b.append("<text class=\"axis-label\" transform=\"rotate(-90)\" x=\"").append(-(TOP + (int) plotH / 2))
                .append("\" y=\"14\" text-anchor=\"middle\">score</text>\n");

        for (ReportData.MemberSeries m : d.members()) {
            String color = Html.color(m.id());
            StringBuilder pts = new StringBuilder();
            for (int g = 0; g < m.scores().size(); g++) {
                Double s = m.scores().get(g);
                if (s != null) {
                    pts.append(num(x.applyAsDouble(g))).append(',').append(num(y.applyAsDouble(s))).append(' ');
                }
            }
            b.append("<g class=\"member\" data-member=\"").append(m.id()).append("\">");
            b.append("<polyline class=\"member-line\" fill=\"none\" stroke=\"").append(color)
                    .append("\" stroke-width=\"2\" points=\"").append(pts.toString().trim()).append("\"/>");
            for (int g = 0; g < m.scores().size(); g++) {
                Double s = m.scores().get(g);
                if (s == null) {
                    continue;
                }
                double cx = x.applyAsDouble(g);
                double cy = y.applyAsDouble(s);
                boolean replaced = replacedAt(d, m.id(), g);
                String tip = "member " + m.id() + ", generation " + g + ": " + Html.score(s)
                        + (replaced ? " (new child this generation)" : "");
                if (replaced) {
                    b.append("<path class=\"replaced-point\" fill=\"").append(color).append("\" d=\"M")
                            .append(num(cx)).append(',').append(num(cy - 6)).append(" l6,6 l-6,6 l-6,-6 z\">");
                } else {
                    b.append("<circle class=\"point\" r=\"3.5\" fill=\"").append(color).append("\" cx=\"")
                            .append(num(cx)).append("\" cy=\"").append(num(cy)).append("\">");
                }
                b.append("<title>").append(esc(tip)).append("</title>").append(replaced ? "</path>" : "</circle>");
            }
            b.append("</g>\n");
        }
        // Legend.
        int ly = TOP;
        for (ReportData.MemberSeries m : d.members()) {
            b.append("<g class=\"legend\"><rect x=\"").append(WIDTH - RIGHT + 16).append("\" y=\"").append(ly)
                    .append("\" width=\"12\" height=\"12\" fill=\"").append(Html.color(m.id())).append("\"/>")
                    .append("<text x=\"").append(WIDTH - RIGHT + 34).append("\" y=\"").append(ly + 10)
                    .append("\">member ").append(m.id()).append("</text></g>\n");
            ly += 18;
        }
        b.append("</svg>\n");
        return b.toString();
    }

    static boolean replacedAt(ReportData d, int member, int generation) {
        return d.replacements().stream().anyMatch(r -> r.child() == member && r.generation() == generation);
    }
}
