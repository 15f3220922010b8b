package io.pbtnas.cli.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Round axis ticks for the report's charts, a pure function of the axis range.
 *
 * <ul>
 *   <li>Linear axes: every multiple of one step within the range, the step 1, 2 or 5 × 10^k, the
 *   finest of those that gives at most {@code maxTicks} ticks.</li>
 *   <li>Log axes: the whole decades within the range, with 2 and 5 between them (1, 2, 5, 10, 20...)
 *   when that still gives at most {@code maxTicks}; when even the decades are too many, every n-th
 *   decade. A range too narrow for two such ticks gets 1..9 × 10^k, then linear ticks.</li>
 *   <li>Labels: plain decimals with as many digits as the step needs and no more (0.76, 0.78 for a
 *   step of 0.02; 1.0, 1.5 for 0.5; 20, 40 for 20; on a log axis each tick's own: 0.002, 0.005,
 *   0.01). When that would be long (a step below 0.001, or a tick of 10^6 or more) every label of
 *   the axis is in scientific notation instead, again with no more digits than needed: 2e-4, 1.5e-5.</li>
 * </ul>
 */
public final class Ticks {
    /** One tick: where it goes (in data units) and what it reads. */
    public record Tick(double value, String label) {
    }

    private static final int[] ONE_TWO_FIVE = {1, 2, 5};
    private static final int[] ONE_TO_NINE = {1, 2, 3, 4, 5, 6, 7, 8, 9};

    private Ticks() {
    }

    /**
     * Ticks of a linear axis from {@code lo} to {@code hi}: at least 2, and (for {@code maxTicks} of 5 or
     * more) at most {@code maxTicks}. An empty range is widened first.
     */
    public static List<Tick> linear(double lo, double hi, int maxTicks) {
        if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
            throw new IllegalArgumentException("axis range must be finite, got " + lo + ".." + hi);
        }
        if (hi < lo) {
            double t = lo;
            lo = hi;
            hi = t;
        }
        if (hi - lo < Math.max(Math.abs(hi), 1) * 1e-12) {
            double w = lo == 0 ? 1 : Math.abs(lo) * 0.05;
            lo -= w;
            hi += w;
        }
        int max = Math.max(2, maxTicks);
        double eps = (hi - lo) * 1e-9;
        // From a step certainly too fine (10^k <= range / max gives at least max ticks) upwards.
        int k = (int) Math.floor(Math.log10((hi - lo) / max));
        long[] finer = null;
        while (true) {
            for (int m : ONE_TWO_FIVE) {
                double step = m * Math.pow(10, k);
                long first = (long) Math.ceil((lo - eps) / step);
                long last = (long) Math.floor((hi + eps) / step);
                if (last - first + 1 <= max) {
                    // Fewer than 2 (only possible when maxTicks < 5): the finer step, above maxTicks.
                    return last > first || finer == null ? linearTicks(first, last, m, k)
                            : linearTicks(finer[0], finer[1], (int) finer[2], (int) finer[3]);
                }
                finer = new long[] {first, last, m, k};
            }
            k++;
        }
    }

    private static List<Tick> linearTicks(long first, long last, int m, int k) {
        List<BigDecimal> values = new ArrayList<>();
        for (long i = first; i <= last; i++) {
            values.add(BigDecimal.valueOf(i * m).scaleByPowerOfTen(k));
        }
        BigDecimal top = values.stream().map(BigDecimal::abs).max(BigDecimal::compareTo).orElse(BigDecimal.ZERO);
        boolean scientific = k < -3 || top.compareTo(BigDecimal.valueOf(1_000_000)) >= 0;
        int decimals = Math.max(0, -k);
        List<Tick> out = new ArrayList<>();
        for (BigDecimal v : values) {
            String label = scientific ? HparamFormat.scientific(v) : v.setScale(decimals).toPlainString();
            out.add(new Tick(v.doubleValue(), label));
        }
        return out;
    }

    /** Ticks of a log axis from {@code lo} to {@code hi}, both above 0: as for {@link #linear}, 2 to maxTicks. */
    public static List<Tick> log(double lo, double hi, int maxTicks) {
        if (!(lo > 0) || !(hi > 0) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
            throw new IllegalArgumentException("a log axis needs a range above 0, got " + lo + ".." + hi);
        }
        if (hi < lo) {
            double t = lo;
            lo = hi;
            hi = t;
        }
        int max = Math.max(2, maxTicks);
        List<BigDecimal> ticks = logTicks(lo, hi, ONE_TWO_FIVE, 1);
        if (ticks.size() > max) {
            int every = 1;
            do {
                ticks = logTicks(lo, hi, new int[] {1}, every++);
            } while (ticks.size() > max);
        } else if (ticks.size() < 2) {
            ticks = logTicks(lo, hi, ONE_TO_NINE, 1);
        }
        if (ticks.size() < 2 || ticks.size() > max) {
            // Under a decade wide with no two of 1..9 × 10^k in it (or maxTicks under 5): linear ticks.
            return linear(lo, hi, max);
        }
        boolean scientific = ticks.get(0).compareTo(new BigDecimal("0.001")) < 0
                || ticks.get(ticks.size() - 1).compareTo(BigDecimal.valueOf(1_000_000)) >= 0;
        List<Tick> out = new ArrayList<>();
        for (BigDecimal v : ticks) {
            String label = scientific ? HparamFormat.scientific(v) : v.stripTrailingZeros().toPlainString();
            out.add(new Tick(v.doubleValue(), label));
        }
        return out;
    }

    /** m × 10^k within [lo, hi] for each m of {@code mantissas}, on every {@code every}-th decade k. */
    private static List<BigDecimal> logTicks(double lo, double hi, int[] mantissas, int every) {
        double tolerance = 1e-9;
        int kLo = (int) Math.floor(Math.log10(lo)) - 1;
        int kHi = (int) Math.ceil(Math.log10(hi)) + 1;
        List<BigDecimal> out = new ArrayList<>();
        for (int k = kLo; k <= kHi; k++) {
            if (Math.floorMod(k, every) != 0) {
                continue;
            }
            for (int m : mantissas) {
                double v = m * Math.pow(10, k);
                if (v >= lo * (1 - tolerance) && v <= hi * (1 + tolerance)) {
                    out.add(BigDecimal.valueOf(m).scaleByPowerOfTen(k));
                }
            }
        }
        return out;
    }
}
