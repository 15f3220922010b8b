package io.pbtnas.cli.report;

import java.util.Map;

import static io.pbtnas.cli.report.Html.esc;

/** The self-contained report page (inline CSS and SVG, no external assets): a pure function of the data. */
public final class HtmlReport {
    private static final String CSS = """
            body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#222;max-width:1100px}
            h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px}
            .summary{color:#555;margin-bottom:12px} .phase{font-weight:600}
            .grid{stroke:#e4e4e4} .tick{font-size:11px;fill:#555} .axis-label{font-size:12px;fill:#333}
            .legend text{font-size:12px} .survive{stroke:#bbb;stroke-width:2}
            .from-parent,.from-donor{stroke:#333;stroke-width:1.5} .node{stroke:#333;stroke-width:1}
            .node.best{stroke:#000;stroke-width:3} .bar-label{font-size:10px;fill:#fff}
            table{border-collapse:collapse;font-size:13px} th,td{border:1px solid #ddd;padding:4px 8px;text-align:left}
            th{background:#f4f4f4} tr.best td{background:#fff6d5} td.num{text-align:right;font-variant-numeric:tabular-nums}
            code{font-size:12px} .best-tables{display:flex;gap:24px;align-items:flex-start}
            """;

    private HtmlReport() {
    }

    public static String render(ReportData d) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>pbtnas: ").append(esc(d.searchName())).append("</title><style>").append(CSS)
                .append("</style></head><body>\n");
        b.append("<h1>PBT-NAS search <code>").append(esc(d.searchName())).append("</code></h1>\n");
        b.append("<div class=\"summary\" id=\"summary\">phase <span class=\"phase\">").append(esc(d.phase()))
                .append("</span> · generation ").append(d.generation() + 1).append(" of ").append(d.generations())
                .append(" · population ").append(d.members().size()).append(" · score is ")
                .append(d.maximize() ? "maximized" : "minimized").append("</div>\n");
        b.append(best(d));
        b.append("<h2>Score per member over the generations</h2>\n").append(ScoreChart.render(d));
        for (String name : HyperparameterChart.names(d)) {
            b.append("<h2>").append(esc(name)).append(" per member over training</h2>\n")
                    .append(HyperparameterChart.render(d, name));
        }
        if (d.timeline() != null) {
            b.append("<h2>Timeline: member steps over wall-clock time</h2>\n").append(TimelineChart.render(d));
        }
        b.append("<h2>Lineage: who replaced whom</h2>\n")
                .append("<p class=\"summary\">Solid arrow: from the parent (the better one, whose layers are kept); ")
                .append("dashed: from the donor (its layers come in shrink-perturbed). Grey: the member kept its network.</p>\n")
                .append(LineageChart.render(d));
        b.append(replacements(d));
        b.append(population(d));
        b.append("</body></html>\n");
        return b.toString();
    }

    private static String best(ReportData d) {
        if (d.best() == null) {
            return "<section id=\"best\"><h2>Best network</h2><p>No scores yet.</p></section>\n";
        }
        StringBuilder b = new StringBuilder("<section id=\"best\"><h2>Best network</h2>\n<p>member ")
                .append(d.best().member()).append(", score <b id=\"best-score\">").append(Html.score(d.best().score()))
                .append("</b>");
        if (d.best().checkpoint() != null) {
            b.append(", checkpoint <code>").append(esc(d.best().checkpoint())).append("</code>");
        }
        b.append("</p>\n<div class=\"best-tables\"><table id=\"best-genome\"><tr><th>gene</th><th>option</th></tr>");
        for (Map.Entry<String, String> e : d.best().genome().entrySet()) {
            b.append("<tr><td>").append(esc(e.getKey())).append("</td><td>").append(esc(e.getValue()))
                    .append("</td></tr>");
        }
        if (d.best().genome().isEmpty()) {
            b.append("<tr><td colspan=\"2\">none (no architecture genes)</td></tr>");
        }
        b.append("</table>");
        HparamFormat f = d.hyperparameters();
        if (!f.isEmpty()) {
            // Beside the genes: the values the best network trained with in the step that scored it.
            b.append("<table id=\"best-hparams\"><tr><th>hyperparameter</th><th>value</th></tr>");
            for (String name : f.names()) {
                b.append("<tr><td>").append(esc(name)).append("</td><td class=\"num\" data-hparam=\"")
                        .append(esc(name)).append("\">").append(esc(f.format(name, d.best().hparams().get(name))))
                        .append("</td></tr>");
            }
            b.append("</table>");
        }
        return b.append("</div></section>\n").toString();
    }

    private static String replacements(ReportData d) {
        StringBuilder b = new StringBuilder("<h2>Replacements</h2>\n<table id=\"replacements\"><tr>")
                .append("<th>generation</th><th>member</th><th>kind</th><th>parent</th><th>donor</th>")
                .append("<th>genes from donor</th></tr>");
        for (ReportData.Replacement r : d.replacements()) {
            b.append("<tr><td class=\"num\">").append(r.generation()).append("</td><td class=\"num\">")
                    .append(r.child()).append("</td><td>").append(esc(r.kind())).append("</td><td class=\"num\">")
                    .append(r.parent()).append("</td><td class=\"num\">").append(r.donor()).append("</td><td>")
                    .append(esc(r.swappedGenes().isEmpty() ? "none" : String.join(", ", r.swappedGenes())))
                    .append("</td></tr>");
        }
        if (d.replacements().isEmpty()) {
            b.append("<tr><td colspan=\"6\">none yet</td></tr>");
        }
        return b.append("</table>\n").toString();
    }

    private static String population(ReportData d) {
        StringBuilder b = new StringBuilder("<h2>Population</h2>\n<table id=\"population\"><tr><th>member</th>");
        for (int g = 0; g < d.generations(); g++) {
            b.append("<th>gen ").append(g).append("</th>");
        }
        HparamFormat f = d.hyperparameters();
        for (String name : f.names()) {
            b.append("<th class=\"hparam\">").append(esc(name)).append("</th>");
        }
        b.append("<th>genome</th></tr>");
        for (ReportData.MemberSeries m : d.members()) {
            boolean best = d.best() != null && d.best().member() == m.id();
            b.append("<tr class=\"member-row").append(best ? " best" : "").append("\" data-member=\"")
                    .append(m.id()).append("\"><td class=\"num\">").append(m.id()).append("</td>");
            for (int g = 0; g < d.generations(); g++) {
                Double s = g < m.scores().size() ? m.scores().get(g) : null;
                b.append("<td class=\"num\">").append(Html.score(s))
                        .append(ScoreChart.replacedAt(d, m.id(), g) ? " ◆" : "").append("</td>");
            }
            Map<String, Object> latest = m.latestHparams();
            for (String name : f.names()) {
                b.append("<td class=\"num hparam\" data-hparam=\"").append(esc(name)).append("\">")
                        .append(esc(f.format(name, latest.get(name)))).append("</td>");
            }
            b.append("<td><code>").append(esc(genome(m.genome()))).append("</code></td></tr>");
        }
        b.append("</table>\n<p class=\"summary\">◆ = the member started that generation as a new mix.");
        if (!f.isEmpty()) {
            b.append(" ").append(esc(String.join(", ", f.names())))
                    .append(": the values of the member's latest step.");
        }
        return b.append("</p>\n").toString();
    }

    private static String genome(Map<String, String> g) {
        StringBuilder b = new StringBuilder();
        g.forEach((k, v) -> b.append(b.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return b.toString();
    }
}
