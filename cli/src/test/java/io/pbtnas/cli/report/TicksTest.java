package io.pbtnas.cli.report;

import io.pbtnas.cli.support.TickLabels;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Round axis ticks: 1/2/5 × 10^k steps on linear axes, decades (with 2 and 5 when there is room) on log axes. */
class TicksTest {
    static List<String> labels(List<Ticks.Tick> ticks) {
        return ticks.stream().map(Ticks.Tick::label).toList();
    }

    @Test
    void aScoreRangeGetsStepsOfTwoHundredths() {
        assertEquals(List.of("0.76", "0.78", "0.80", "0.82", "0.84", "0.86"), labels(Ticks.linear(0.76, 0.87, 6)));
        // The chart's padded range around scores 0.76..0.87 reads the same.
        assertEquals(List.of("0.76", "0.78", "0.80", "0.82", "0.84", "0.86"),
                labels(Ticks.linear(0.7512, 0.8788, 6)));
        // Fewer ticks allowed: the next round step.
        assertEquals(List.of("0.80", "0.85"), labels(Ticks.linear(0.76, 0.87, 3)));
        assertEquals(0.78, Ticks.linear(0.76, 0.87, 6).get(1).value(), 1e-15);
    }

    @Test
    void labelsHaveAsManyDigitsAsTheStepNeeds() {
        assertEquals(List.of("0.0", "0.2", "0.4", "0.6", "0.8", "1.0"), labels(Ticks.linear(0, 1, 6)));
        assertEquals(List.of("0.5", "1.0", "1.5", "2.0", "2.5"), labels(Ticks.linear(0.3, 2.5, 6)));
        assertEquals(List.of("0", "10", "20", "30"), labels(Ticks.linear(0, 37, 7)));
        assertEquals(List.of("0", "5", "10", "15", "20", "25"), labels(Ticks.linear(0, 27, 7)));
        assertEquals(List.of("-1.0", "-0.5", "0.0", "0.5", "1.0"), labels(Ticks.linear(-1, 1, 6)));
        assertEquals(List.of("62", "64", "66"), labels(Ticks.linear(60.8, 67.2, 6)));
        assertEquals(List.of("200", "400", "600", "800", "1000"), labels(Ticks.linear(150, 1020, 6)));
    }

    @Test
    void tinyStepsAreWrittenInScientificNotation() {
        assertEquals(List.of("0", "2e-4", "4e-4", "6e-4", "8e-4", "1e-3"), labels(Ticks.linear(0, 1e-3, 6)));
        assertEquals(List.of("0.001", "0.002", "0.003", "0.004"), labels(Ticks.linear(0.0008, 0.0049, 6)));
        assertEquals(List.of("1.5e-5", "2e-5", "2.5e-5"), labels(Ticks.linear(1.4e-5, 2.6e-5, 3)));
    }

    @Test
    void evenTooFewTicksAllowedStillGivesTwo() {
        assertEquals(List.of("10", "20"), labels(Ticks.linear(5.5, 21.5, 2)));
        // Step 5 would leave only 10: the finer step 2, above the 2 allowed.
        assertEquals(List.of("6", "8", "10"), labels(Ticks.linear(5.5, 11.5, 2)));
        assertTrue(Ticks.log(0.15, 3, 3).size() >= 2);
    }

    @Test
    void anEmptyRangeIsWidenedAndAReversedOneTurned() {
        assertTrue(Ticks.linear(0.5, 0.5, 6).size() >= 2);
        assertTrue(Ticks.linear(0, 0, 6).size() >= 2);
        assertEquals(labels(Ticks.linear(0, 1, 6)), labels(Ticks.linear(1, 0, 6)));
        assertThrows(IllegalArgumentException.class, () -> Ticks.linear(0, Double.NaN, 6));
    }

    @Test
    void logAxesGetDecadesWithTwoAndFiveBetweenWhenThereIsRoom() {
        assertEquals(List.of("0.002", "0.005", "0.01", "0.02", "0.05"), labels(Ticks.log(0.002, 0.06, 7)));
        assertEquals(List.of("1e-4", "2e-4", "5e-4", "1e-3", "2e-3", "5e-3", "1e-2"),
                labels(Ticks.log(1e-4, 1e-2, 7)));
        // No room for 2 and 5: the decades alone.
        assertEquals(List.of("1e-4", "1e-3", "1e-2"), labels(Ticks.log(1e-4, 1e-2, 6)));
        assertEquals(List.of("0.1", "1", "10", "100", "1000"), labels(Ticks.log(0.05, 5000, 6)));
        // Too many decades even for that: every second one.
        assertEquals(List.of("1e-6", "1e-4", "1e-2", "1e0", "1e2", "1e4", "1e6"), labels(Ticks.log(1e-6, 1e6, 7)));
        assertEquals(1e-2, Ticks.log(0.002, 0.06, 7).get(2).value(), 1e-18);
    }

    @Test
    void aNarrowLogRangeFallsBackToOneToNineThenLinear() {
        assertEquals(List.of("0.003", "0.004"), labels(Ticks.log(0.0021, 0.0045, 7)));
        List<String> linear = labels(Ticks.log(0.00301, 0.00309, 7));
        TickLabels.assertRound(linear, false);
        assertThrows(IllegalArgumentException.class, () -> Ticks.log(0, 1, 6));
    }

    @Test
    void randomRangesAlwaysGetRoundTicksInsideTheRange() {
        Random r = new Random(7);
        for (int i = 0; i < 2000; i++) {
            double a = (r.nextDouble() - 0.3) * Math.pow(10, r.nextInt(12) - 6);
            double b = a + r.nextDouble() * Math.pow(10, r.nextInt(12) - 6);
            int max = 5 + r.nextInt(6);
            List<Ticks.Tick> t = Ticks.linear(a, b, max);
            assertTrue(t.size() >= 2 && t.size() <= max, a + ".." + b + ": " + labels(t));
            if (b - a > 1e-9 * Math.max(1, Math.abs(b))) { // narrower counts as empty, and is widened
                double eps = (b - a) * 1e-6;
                assertTrue(t.get(0).value() >= a - eps && t.get(t.size() - 1).value() <= b + eps, a + ".." + b);
            }
            TickLabels.assertRound(labels(t), false);
            double lo = Math.pow(10, r.nextDouble() * 12 - 8);
            double hi = lo * Math.pow(10, 1 + r.nextDouble() * 8);
            List<Ticks.Tick> log = Ticks.log(lo, hi, max);
            assertTrue(log.size() >= 2 && log.size() <= max, lo + ".." + hi + ": " + labels(log));
            assertTrue(log.get(0).value() >= lo * (1 - 1e-9) && log.get(log.size() - 1).value() <= hi * (1 + 1e-9));
            TickLabels.assertRound(labels(log), true);
        }
    }
}
