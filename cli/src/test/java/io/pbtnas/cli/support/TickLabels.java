package io.pbtnas.cli.support;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads a chart's axis tick labels out of the report's SVG and checks that they are round, independently
 * of how the report chose them: on a linear axis equally spaced by 1, 2 or 5 × 10^k, each a multiple of
 * that step; on a log axis each 1, 2 or 5 × 10^k, increasing; and no label with more digits than that
 * needs (on a linear axis in plain notation every label has exactly the decimals of the step; a label
 * in scientific notation has no trailing zeros in its mantissa; a plain log label none at all).
 */
public final class TickLabels {
    private static final Set<BigDecimal> ONE_TWO_FIVE = Set.of(BigDecimal.ONE, BigDecimal.valueOf(2),
            BigDecimal.valueOf(5));

    private TickLabels() {
    }

    /** The text of every {@code <text class="tick AXIS">} in the SVG element that starts at {@code svgStart}. */
    public static List<String> labels(String html, String svgStart, String axis) {
        int at = html.indexOf(svgStart);
        assertTrue(at >= 0, "no " + svgStart + " in the report");
        String svg = html.substring(at, html.indexOf("</svg>", at));
        Matcher m = Pattern.compile("<text class=\"tick " + Pattern.quote(axis) + "\"[^>]*>([^<]*)</text>")
                .matcher(svg);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The scale an SVG element declares for an axis ({@code data-y-scale} / {@code data-x-scale}). */
    public static String scale(String html, String svgStart, String attribute) {
        int at = html.indexOf(svgStart);
        String tag = html.substring(at, html.indexOf('>', at));
        Matcher m = Pattern.compile(attribute + "=\"(\\w+)\"").matcher(tag);
        assertTrue(m.find(), "no " + attribute + " on " + tag);
        return m.group(1);
    }

    /** Fails unless {@code labels} are round ticks of a linear ({@code log} false) or log axis. */
    public static void assertRound(List<String> labels, boolean log) {
        assertTrue(labels.size() >= 2, "at least two ticks: " + labels);
        List<BigDecimal> values = new ArrayList<>();
        for (String l : labels) {
            BigDecimal v;
            try {
                v = new BigDecimal(l);
            } catch (NumberFormatException e) {
                throw new AssertionError("a tick label that is not a number: '" + l + "' in " + labels, e);
            }
            values.add(v);
            if (l.contains("e")) {
                String mantissa = l.substring(0, l.indexOf('e'));
                assertEquals(new BigDecimal(mantissa).stripTrailingZeros().toPlainString(), mantissa,
                        "no more digits than needed: " + l + " in " + labels);
            }
        }
        for (int i = 1; i < values.size(); i++) {
            assertTrue(values.get(i).compareTo(values.get(i - 1)) > 0, "increasing: " + labels);
        }
        if (log) {
            for (int i = 0; i < values.size(); i++) {
                BigDecimal v = values.get(i).stripTrailingZeros();
                assertTrue(ONE_TWO_FIVE.contains(new BigDecimal(v.unscaledValue())),
                        "a log tick is 1, 2 or 5 × 10^k: " + labels.get(i) + " in " + labels);
                if (!labels.get(i).contains("e")) {
                    assertEquals(v.toPlainString(), labels.get(i), "no more digits than needed: " + labels);
                }
            }
            return;
        }
        BigDecimal step = values.get(1).subtract(values.get(0));
        for (int i = 2; i < values.size(); i++) {
            assertEquals(0, values.get(i).subtract(values.get(i - 1)).compareTo(step), "equally spaced: " + labels);
        }
        BigDecimal s = step.stripTrailingZeros();
        assertTrue(ONE_TWO_FIVE.contains(new BigDecimal(s.unscaledValue())),
                "the step is 1, 2 or 5 × 10^k: " + step + " in " + labels);
        boolean scientific = labels.stream().anyMatch(l -> l.contains("e"));
        for (int i = 0; i < values.size(); i++) {
            assertEquals(0, values.get(i).remainder(s).signum(), "a multiple of the step " + s + ": " + labels);
            if (!scientific) {
                assertEquals(Math.max(0, s.scale()), Math.max(0, values.get(i).scale()),
                        "as many decimals as the step " + s + " needs: " + labels.get(i) + " in " + labels);
            }
        }
    }
}
