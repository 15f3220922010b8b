package io.pbtnas.operator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Operator-wide settings (application.properties, or env PBTNAS_OPERATOR_*). */
@ConfigMapping(prefix = "pbtnas.operator")
public interface OperatorConfig {
    /** Image with the `pbtnas` command; runs `pbtnas mix` in a replaced member's init container. */
    @WithDefault("pbtnas/operator:0.1.0")
    String image();

    /** Where member pods see the shared volume. */
    @WithDefault("/data")
    String volumeMountPath();

    /** First retry of a failed member pod waits this long; each further retry twice as long. */
    @WithDefault("PT10S")
    Duration retryBackoffBase();

    @WithDefault("PT5M")
    Duration retryBackoffMax();

    /** Plain values for code that runs without CDI (tests that restart the reconciler). */
    default Settings settings() {
        return new Settings(image(), volumeMountPath(), retryBackoffBase(), retryBackoffMax());
    }

    record Settings(String image, String volumeMountPath, Duration retryBackoffBase, Duration retryBackoffMax) {
        public Duration backoff(int attempt) {
            if (attempt <= 0) {
                return Duration.ZERO;
            }
            long factor = 1L << Math.min(attempt - 1, 20);
            Duration d = retryBackoffBase.multipliedBy(factor);
            return d.compareTo(retryBackoffMax) > 0 ? retryBackoffMax : d;
        }
    }
}
