package io.pbtnas.core.pod;

import java.util.OptionalLong;
import java.util.regex.Pattern;

/** spec.trainer.stepTimeout: a duration such as "30m", "2h" or "1h30m" (units h, m, s), in whole seconds. */
public final class StepTimeout {
    public static final String FIELD = "spec.trainer.stepTimeout";
    private static final Pattern FORM = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    private StepTimeout() {}

    /** Seconds of a valid duration; empty for null, a malformed one or zero. */
    public static OptionalLong seconds(String value) {
        if (value == null || value.isEmpty()) {
            return OptionalLong.empty();
        }
        var m = FORM.matcher(value.strip());
        if (!m.matches()) {
            return OptionalLong.empty();
        }
        try {
            long s = Math.addExact(Math.addExact(Math.multiplyExact(part(m.group(1)), 3600),
                    Math.multiplyExact(part(m.group(2)), 60)), part(m.group(3)));
            return s > 0 ? OptionalLong.of(s) : OptionalLong.empty();
        } catch (ArithmeticException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The problem with a set value, or null when it is valid or not set. */
    public static String problem(String value) {
        if (value == null || seconds(value).isPresent()) {
            return null;
        }
        return FIELD + ": '" + value + "' is not a positive duration; use hours, minutes and seconds, "
                + "e.g. '30m', '2h' or '1h30m'";
    }

    private static long part(String digits) {
        return digits == null ? 0 : Long.parseLong(digits);
    }
}
