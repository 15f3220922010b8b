package io.pbtnas.operator.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Nearest-rank percentiles of raw samples (no interpolation: every reported value was measured). */
record Stats(int n, double p50, double p90, double p99, double max, double mean) {

    static Stats ofNanosAsMillis(List<Long> nanos) {
        return of(nanos.stream().map(v -> v / 1e6).toList());
    }

    static Stats of(List<Double> samples) {
        if (samples.isEmpty()) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        List<Double> s = new ArrayList<>(samples);
        Collections.sort(s);
        double mean = s.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        return new Stats(s.size(), rank(s, 0.50), rank(s, 0.90), rank(s, 0.99), s.get(s.size() - 1), mean);
    }

    private static double rank(List<Double> sorted, double p) {
        int i = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", n);
        m.put("p50", round(p50));
        m.put("p90", round(p90));
        m.put("p99", round(p99));
        m.put("max", round(max));
        m.put("mean", round(mean));
        return m;
    }

    static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 100) / 100.0 : v;
    }

    static double round3(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : v;
    }

    String row(String what) {
        return String.format("| %s | %d | %.1f | %.1f | %.1f | %.1f |", what, n, p50, p90, p99, max);
    }
}
