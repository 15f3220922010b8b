package io.pbtnas.cli.report;

import io.pbtnas.core.space.Hyperparameter;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How hyperparameter values are written wherever a person reads them (the report's "Best network" and
 * Population table, {@code pbtnas run}'s final table): the search's hyperparameters in the order of
 * spec.searchSpace.hyperparameters, and one rule for their values.
 *
 * <p>The rule: at most 3 significant digits, trailing zeros dropped. A log-uniform hyperparameter
 * (a learning rate, typically: its values span decades) is written in scientific notation,
 * {@code 3.16e-3}; any other in plain notation, {@code 0.000437}, {@code 0.9}, {@code 1230}, unless
 * that would be long (below 1e-4 or from 1e6 on), then scientific too. Integers (a choice of
 * integers, such as a batch size) are written as they are: {@code 128}, {@code 1024}.
 */
public final class HparamFormat {
    /** A search without hyperparameters: no columns. */
    public static final HparamFormat NONE = new HparamFormat(List.of(), Set.of());
    /** What is written where a member has no value (yet). */
    public static final String MISSING = "–";
    private static final MathContext DIGITS = new MathContext(3, RoundingMode.HALF_EVEN);

    private final List<String> names;
    private final Set<String> logScale;

    private HparamFormat(List<String> names, Set<String> logScale) {
        this.names = List.copyOf(names);
        this.logScale = Set.copyOf(logScale);
    }

    /** The format of a search's hyperparameters (spec.searchSpace.hyperparameters; null or empty: none). */
    public static HparamFormat of(List<Hyperparameter> hyperparameters) {
        if (hyperparameters == null || hyperparameters.isEmpty()) {
            return NONE;
        }
        List<String> names = new ArrayList<>();
        Set<String> log = new HashSet<>();
        for (Hyperparameter h : hyperparameters) {
            if (h == null || h.name() == null || names.contains(h.name())) {
                continue;
            }
            names.add(h.name());
            if (h.logUniform() != null) {
                log.add(h.name());
            }
        }
        return new HparamFormat(names, log);
    }

    /** The hyperparameter names, in the spec's order: a column each. */
    public List<String> names() {
        return names;
    }

    public boolean isEmpty() {
        return names.isEmpty();
    }

    /** Whether {@code name} is on a log scale (log-uniform), so its values are written in scientific notation. */
    public boolean logScale(String name) {
        return logScale.contains(name);
    }

    /** The value of {@code name} as the rule writes it; {@link #MISSING} for null. */
    public String format(String name, Object value) {
        if (value == null) {
            return MISSING;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof java.math.BigInteger) {
            return value.toString();
        }
        if (!(value instanceof Number n)) {
            return value.toString();
        }
        return number(n.doubleValue(), logScale(name));
    }

    /** Each name's value in {@code values}, in the order of {@link #names()} ({@link #MISSING} where absent). */
    public List<String> formatAll(Map<String, Object> values) {
        List<String> out = new ArrayList<>();
        for (String name : names) {
            out.add(format(name, values == null ? null : values.get(name)));
        }
        return out;
    }

    /** {@code v} with at most 3 significant digits: scientific when asked to, or when plain would be long. */
    static String number(double v, boolean scientific) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        if (v == 0) {
            return "0";
        }
        BigDecimal d = new BigDecimal(v).round(DIGITS).stripTrailingZeros();
        double abs = Math.abs(d.doubleValue());
        return scientific || abs < 1e-4 || abs >= 1e6 ? scientific(d) : d.toPlainString();
    }

    /** {@code v} as mantissa e exponent, trailing zeros dropped: 3.16e-3, 2e-4, 1.5e6; 0 stays 0. */
    static String scientific(BigDecimal v) {
        if (v.signum() == 0) {
            return "0";
        }
        BigDecimal d = v.stripTrailingZeros();
        int exponent = d.precision() - d.scale() - 1;
        return d.movePointLeft(exponent).stripTrailingZeros().toPlainString() + "e" + exponent;
    }
}
