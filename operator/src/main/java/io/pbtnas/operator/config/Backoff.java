package io.pbtnas.operator.config;

import java.time.Duration;

/**
 * The one backoff of the operator: waits double from {@code base} up to {@code max}. A failed member
 * step's or export's retry waits {@link #forRetry}; a refused pod waits {@link #after} however long the
 * refusal has lasted (which doubles the waits too, without counting attempts). Pure.
 */
public record Backoff(Duration base, Duration max) {
    /** Before retry number {@code attempt} (1 = the first retry): base·2^(attempt-1), at most max; 0 before none. */
    public Duration forRetry(int attempt) {
        if (attempt <= 0) {
            return Duration.ZERO;
        }
        return capped(base.multipliedBy(1L << Math.min(attempt - 1, 20)));
    }

    /** The next wait of something refused for {@code lasted} so far: as long again, at least base, at most max. */
    public Duration after(Duration lasted) {
        return capped(lasted.compareTo(base) < 0 ? base : lasted);
    }

    private Duration capped(Duration d) {
        return d.compareTo(max) > 0 ? max : d;
    }
}
