package io.pbtnas.cli.report;

import java.util.List;

import static io.pbtnas.cli.report.Html.esc;
import static io.pbtnas.cli.report.Html.num;

/**
 * SVG lineage: a column per generation, a row per member slot. A grey edge
 * means the slot kept its network; a solid arrow comes from the parent and a
 * dashed one from the donor when the slot was replaced by their mix.
 */
final class LineageChart {
    private static final int COL = 90;
    private static final int ROW = 34;
    private static final int LEFT = 80;
    private static final int TOP = 30;

    private LineageChart() {
    }

    static String render(ReportData d) {
        int gens = Math.max(1, d.generations());
        int rows = d.members().size();
        int width = LEFT + COL * (gens - 1) + 60;
        int height = TOP + ROW * Math.max(1, rows) + 10;
        StringBuilder b = new StringBuilder();
        b.append("<svg id=\"lineage\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" role=\"img\" aria-label=\"lineage: who replaced whom\">\n");
        b.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" ")
                .append("markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" ")
                .append("fill=\"#333\"/></marker></defs>\n");
        for (int g = 0; g < gens; g++) {
            b.append("<text class=\"tick\" x=\"").append(cx(g)).append("\" y=\"16\" text-anchor=\"middle\">gen ")
                    .append(g).append("</text>");
        }
        b.append('\n');
        for (int r = 0; r < rows; r++) {
            b.append("<text class=\"tick\" x=\"8\" y=\"").append(cy(r) + 4).append("\">member ")
                    .append(d.members().get(r).id()).append("</text>");
        }
        b.append('\n');
        // Edges first, so nodes are drawn on top.
        for (int r = 0; r < rows; r++) {
            ReportData.MemberSeries m = d.members().get(r);
            for (int g = 1; g < m.scores().size(); g++) {
                if (m.scores().get(g) == null || ScoreChart.replacedAt(d, m.id(), g)) {
                    continue;
                }
                b.append("<line class=\"survive\" x1=\"").append(cx(g - 1)).append("\" y1=\"").append(cy(r))
                        .append("\" x2=\"").append(cx(g)).append("\" y2=\"").append(cy(r)).append("\"/>");
            }
        }
        b.append('\n');
        for (ReportData.Replacement rep : d.replacements()) {
            int child = rowOf(d, rep.child());
            int parent = rowOf(d, rep.parent());
            int donor = rowOf(d, rep.donor());
            if (child < 0 || parent < 0 || rep.generation() < 1) {
                continue;
            }
            String tip = "generation " + rep.generation() + ": member " + rep.child() + " = " + rep.kind()
                    + " of parent " + rep.parent() + " and donor " + rep.donor() + ", genes from donor: "
                    + (rep.swappedGenes().isEmpty() ? "none" : String.join(", ", rep.swappedGenes()));
            b.append("<g class=\"replacement\" data-generation=\"").append(rep.generation())
                    .append("\" data-child=\"").append(rep.child()).append("\" data-parent=\"")
                    .append(rep.parent()).append("\" data-donor=\"").append(rep.donor()).append("\"><title>")
                    .append(esc(tip)).append("</title>");
            b.append(arrow("from-parent", rep.generation() - 1, parent, rep.generation(), child, false));
            if (donor >= 0 && donor != parent) {
                b.append(arrow("from-donor", rep.generation() - 1, donor, rep.generation(), child, true));
            }
            b.append("</g>\n");
        }
        for (int r = 0; r < rows; r++) {
            ReportData.MemberSeries m = d.members().get(r);
            for (int g = 0; g < m.scores().size(); g++) {
                Double s = m.scores().get(g);
                boolean best = d.best() != null && d.best().member() == m.id() && g == lastScored(m);
                b.append("<circle class=\"node").append(best ? " best" : "").append("\" cx=\"").append(cx(g))
                        .append("\" cy=\"").append(cy(r)).append("\" r=\"").append(best ? 9 : 7)
                        .append("\" fill=\"").append(s == null ? "#fff" : Html.color(m.id())).append("\"><title>")
                        .append(esc("member " + m.id() + ", generation " + g + ": " + Html.score(s)))
                        .append("</title></circle>");
            }
        }
        b.append("\n</svg>\n");
        return b.toString();
    }

    private static String arrow(String cls, int g0, int r0, int g1, int r1, boolean dashed) {
        // Stop short of the target node so the arrow head stays visible.
        double x0 = cx(g0);
        double y0 = cy(r0);
        double x1 = cx(g1);
        double y1 = cy(r1);
        double len = Math.hypot(x1 - x0, y1 - y0);
        double k = len == 0 ? 0 : (len - 10) / len;
        return "<line class=\"" + cls + "\" x1=\"" + num(x0) + "\" y1=\"" + num(y0) + "\" x2=\""
                + num(x0 + (x1 - x0) * k) + "\" y2=\"" + num(y0 + (y1 - y0) * k) + "\""
                + (dashed ? " stroke-dasharray=\"5,4\"" : "") + " marker-end=\"url(#arrow)\"/>";
    }

    private static int lastScored(ReportData.MemberSeries m) {
        for (int g = m.scores().size() - 1; g >= 0; g--) {
            if (m.scores().get(g) != null) {
                return g;
            }
        }
        return -1;
    }

    private static int rowOf(ReportData d, int member) {
        List<ReportData.MemberSeries> ms = d.members();
        for (int i = 0; i < ms.size(); i++) {
            if (ms.get(i).id() == member) {
                return i;
            }
        }
        return -1;
    }

    private static int cx(int g) {
        return LEFT + COL * g;
    }

    private static int cy(int row) {
        return TOP + ROW * row;
    }
}
