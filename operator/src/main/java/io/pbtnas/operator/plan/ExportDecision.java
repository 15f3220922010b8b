package io.pbtnas.operator.plan;

import io.fabric8.kubernetes.api.model.Pod;
import io.pbtnas.core.model.Condition;
import io.pbtnas.core.model.ConditionStatus;
import io.pbtnas.core.status.ConditionType;
import io.pbtnas.core.status.Reason;
import io.pbtnas.operator.observe.PodObserver;
import io.pbtnas.operator.observe.PodTimes;
import io.pbtnas.operator.pods.ExportInput;
import io.pbtnas.operator.pods.PodLabels;
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
    private ExportDecision() {}

    /** What the Exported condition is to say; the status builder makes the condition. */
    public record Fact(Reason reason, String message) {
        public ConditionStatus status() {
            return ConditionStatus.of(reason == Reason.EXPORTED);
        }
    }

    /**
     * The condition to record, the attempt to start now (if any), how long until a retry is due (null:
     * none waiting), and whether the export just succeeded (its input, {@link ExportInput}, is no longer needed).
     */
    public record Result(Fact fact, OptionalInt create, Duration retryIn, boolean succeeded) {
        Result(Fact fact, OptionalInt create, Duration retryIn) {
            this(fact, create, retryIn, false);
        }

        static Result of(Reason reason, String message) {
            return new Result(new Fact(reason, message), OptionalInt.empty(), null);
        }
    }

    public static Result decide(String search, SearchStatus engine, SearchStatus old, List<Pod> exportPods,
            int maxRetries, Instant now, IntFunction<Duration> backoff) {
        if (engine.phase() != Phase.COMPLETE || engine.best() == null) {
            return Result.of(Reason.NOT_COMPLETE, "best/, history.json and report.html are written once the search is complete");
        }
        Optional<Condition> before = old == null ? Optional.empty() : old.condition(ConditionType.EXPORTED.code());
        if (before.isPresent() && before.get().isTrue()) {
            return new Result(new Fact(Reason.EXPORTED, before.get().message()), OptionalInt.empty(), null);
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
            return new Result(new Fact(Reason.EXPORTED, "best member " + engine.best().member()
                    + " (score " + engine.best().score() + ") is in best/ on the volume; the lineage in history.json, "
                    + "the report in report.html"), OptionalInt.empty(), null, true);
        }
        boolean failed = "Failed".equals(phase) || pod.getMetadata().getDeletionTimestamp() != null;
        if (!failed) {
            return new Result(exporting(search, attempt), OptionalInt.empty(), null);
        }
        String why = "Failed".equals(phase) ? PodObserver.failure(pod) : "the pod was deleted before it finished";
        if (attempt >= maxRetries) {
            return Result.of(Reason.EXPORT_FAILED, "export pod " + pod.getMetadata().getName() + " failed (attempt "
                    + (attempt + 1) + " of " + (maxRetries + 1) + "): " + why
                    + "; best/, history.json and report.html are incomplete; the checkpoints are intact");
        }
        Instant failedAt = PodTimes.finishedAt(pod);
        Duration left = failedAt == null ? Duration.ZERO : Duration.between(now, failedAt.plus(backoff.apply(attempt + 1)));
        Fact retrying = new Fact(Reason.EXPORTING, "export pod " + pod.getMetadata().getName() + " failed: " + why
                + "; retrying");
        if (left.isNegative() || left.isZero()) {
            return new Result(retrying, OptionalInt.of(attempt + 1), null);
        }
        return new Result(retrying, OptionalInt.empty(), left);
    }

    private static Fact exporting(String search, int attempt) {
        return new Fact(Reason.EXPORTING, "writing best/, history.json and report.html (pod "
                + PodLabels.exportPodName(search, attempt) + ")");
    }

    private static int attempt(Pod pod) {
        return PodLabels.intLabel(pod.getMetadata().getLabels(), PodLabels.ATTEMPT).orElse(-1);
    }
}
