package io.pbtnas.cli.report;

/** Escaping for text placed in HTML and SVG. */
final class Html {
    private Html() {
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String num(double v) {
        return String.format(java.util.Locale.ROOT, "%.1f", v);
    }

    static String score(Double v) {
        return v == null ? "–" : String.format(java.util.Locale.ROOT, "%.4f", v);
    }

    /** A colour per member slot, distinct for the first dozen and still stable beyond. */
    static String color(int member) {
        String[] palette = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
            "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#ad494a"};
        if (member < palette.length) {
            return palette[member];
        }
        return "hsl(" + ((member * 47) % 360) + ",60%,45%)";
    }
}
