package io.pbtnas.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Operator-wide settings (application.properties, or env PBTNAS_OPERATOR_*). */
@ConfigMapping(prefix = "pbtnas.operator")
public interface OperatorConfig {
    /** Image with the `pbtnas` command; runs `pbtnas mix` in a replaced member's init container. */
    @WithDefault("pbtnas/operator:0.1.0")
    String image();

    /** Where member pods see the shared volume (spec.trainer.volumeMounts may not use this path). */
    @WithDefault(io.pbtnas.core.pod.ReservedNames.DATA_PATH)
    String volumeMountPath();

    /** First retry of a failed member pod waits this long; each further retry twice as long. */
    @WithDefault("PT10S")
    Duration retryBackoffBase();

    @WithDefault("PT5M")
    Duration retryBackoffMax();

    /**
     * Restricted pod security (the `restricted` Pod Security Standard) for every pod the operator starts.
     * Env PBTNAS_OPERATOR_TRAINER_RESTRICTED_SECURITY (the Helm chart's trainerPods.restrictedSecurity).
     */
    @WithDefault("true")
    boolean trainerRestrictedSecurity();

    /** User, group and fsGroup of those pods. Env PBTNAS_OPERATOR_TRAINER_RUN_AS_USER (trainerPods.runAsUser). */
    @WithDefault("1001")
    long trainerRunAsUser();

    /**
     * The most a deleted search waits for its pods to stop and its checkpoints to be deleted before its
     * finalizer lets it go (the files are then left, with a Warning event saying where): a cleanup that
     * cannot run must not hold a namespace deletion for ever.
     */
    @WithDefault("PT10M")
    Duration cleanupTimeout();

    /** Plain values for code that runs without CDI (tests that restart the reconciler). */
    default Settings settings() {
        return new Settings(image(), volumeMountPath(), retryBackoffBase(), retryBackoffMax(),
                trainerRestrictedSecurity(), trainerRunAsUser(), cleanupTimeout());
    }

    record Settings(String image, String volumeMountPath, Duration retryBackoffBase, Duration retryBackoffMax,
            boolean restrictedSecurity, long runAsUser, Duration cleanupTimeout) {
        static final Duration DEFAULT_CLEANUP_TIMEOUT = Duration.ofMinutes(10);

        public Settings(String image, String volumeMountPath, Duration retryBackoffBase, Duration retryBackoffMax,
                boolean restrictedSecurity, long runAsUser) {
            this(image, volumeMountPath, retryBackoffBase, retryBackoffMax, restrictedSecurity, runAsUser,
                    DEFAULT_CLEANUP_TIMEOUT);
        }

        public Backoff backoff() {
            return new Backoff(retryBackoffBase, retryBackoffMax);
        }

        public Duration backoff(int attempt) {
            return backoff().forRetry(attempt);
        }
    }
}
