package io.pbtnas.operator;

import io.fabric8.kubernetes.api.model.Pod;
import io.pbtnas.core.model.Condition;
import io.pbtnas.core.model.Phase;
import io.pbtnas.core.model.SearchStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.IntFunction;

/**
 * The export step of a complete search (best/, history.json and report.html on the volume), decided from the
 * status and the export pods alone, so a restarted operator decides the same. Pure.
 *
 * <p>The {@code Exported} condition: False/NotComplete while the search runs; False/Exporting while
 * an export pod runs or waits for its retry; True/Exported once a pod succeeded (then it stays True,
 * whatever happens to the pod); False/ExportFailed when {@code spec.failurePolicy.maxRetries} retries failed.
 */
public final class ExportDecision {
    public static final String EXPORTED = "Exported";
    public static final String NOT_COMPLETE = "NotComplete";
    public static final String EXPORTING = "Exporting";
    public static final String EXPORT_FAILED = "ExportFailed";

    private ExportDecision() {}

    /**
     * The condition to record, the attempt to start now (if any), how long until a retry is due (null:
     * none waiting), and whether the export just succeeded (its input, {@link ExportInput}, is no longer needed).
     */
    public record Result(Condition condition, OptionalInt create, Duration retryIn, boolean succeeded) {
        Result(Condition condition, OptionalInt create, Duration retryIn) {
            this(condition, create, retryIn, false);
        }

        static Result of(String status, String reason, String message) {
            return new Result(new Condition(EXPORTED, status, reason, message, null, null), OptionalInt.empty(), null);
        }
    }

    public static Result decide(String search, SearchStatus engine, SearchStatus old, List<Pod> exportPods,
            int maxRetries, Instant now, IntFunction<Duration> backoff) {
        if (engine.phase() != Phase.COMPLETE || engine.best() == null) {
            return Result.of("False", NOT_COMPLETE, "best/, history.json and report.html are written once the search is complete");
        }
        Optional<Condition> before = old == null ? Optional.empty() : old.condition(EXPORTED);
        if (before.isPresent() && "True".equals(before.get().status())) {
            return new Result(before.get(), OptionalInt.empty(), null);
        }
        Optional<Pod> latest = exportPods.stream()
                .filter(p -> PodLabels.intLabel(p.getMetadata().getLabels(), PodLabels.ATTEMPT).isPresent())
                .max(Comparator.comparingInt(ExportDecision::attempt));
        if (latest.isEmpty()) {
            return new Result(exporting(search, 0), OptionalInt.of(0), null);
        }
        Pod pod = latest.get();
        int attempt = attempt(pod);
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase)) {
            return new Result(new Condition(EXPORTED, "True", EXPORTED, "best member " + engine.best().member()
                    + " (score " + engine.best().score() + ") is in best/ on the volume; the lineage in history.json, "
                    + "the report in report.html", null, null), OptionalInt.empty(), null, true);
        }
        boolean failed = "Failed".equals(phase) || pod.getMetadata().getDeletionTimestamp() != null;
        if (!failed) {
            return new Result(exporting(search, attempt), OptionalInt.empty(), null);
        }
        String why = "Failed".equals(phase) ? PodObserver.failure(pod) : "the pod was deleted before it finished";
        if (attempt >= maxRetries) {
            return Result.of("False", EXPORT_FAILED, "export pod " + pod.getMetadata().getName() + " failed (attempt "
                    + (attempt + 1) + " of " + (maxRetries + 1) + "): " + why
                    + "; best/, history.json and report.html are incomplete; the checkpoints are intact");
        }
        Instant failedAt = PodTimes.finishedAt(pod);
        Duration left = failedAt == null ? Duration.ZERO : Duration.between(now, failedAt.plus(backoff.apply(attempt + 1)));
        Condition retrying = new Condition(EXPORTED, "False", EXPORTING, "export pod "
                + pod.getMetadata().getName() + " failed: " + why + "; retrying", null, null);
        if (left.isNegative() || left.isZero()) {
            return new Result(retrying, OptionalInt.of(attempt + 1), null);
        }
        return new Result(retrying, OptionalInt.empty(), left);
    }

    private static Condition exporting(String search, int attempt) {
        return new Condition(EXPORTED, "False", EXPORTING, "writing best/, history.json and report.html (pod "
                + PodLabels.exportPodName(search, attempt) + ")", null, null);
    }

    private static int attempt(Pod pod) {
        return PodLabels.intLabel(pod.getMetadata().getLabels(), PodLabels.ATTEMPT).orElse(-1);
    }
}
