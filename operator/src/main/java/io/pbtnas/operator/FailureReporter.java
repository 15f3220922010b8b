package io.pbtnas.operator;

import io.fabric8.kubernetes.api.model.Pod;
import io.pbtnas.core.engine.MemberResult;
import io.pbtnas.core.engine.Outcome;
import java.util.List;
import java.util.Optional;

/**
 * One Warning event and one metric per failed or disrupted member pod, marked on the pod so a restart
 * does not repeat them.
 */
final class FailureReporter {
    static final String REPORTED = "pbtnas.io/failure-reported";

    private final SearchEvents events;
    private final SearchMetrics metrics;
    private final PodWriter writer;

    FailureReporter(SearchEvents events, SearchMetrics metrics, PodWriter writer) {
        this.events = events;
        this.metrics = metrics;
        this.writer = writer;
    }

    void report(PbtNasSearch search, List<Pod> memberPods) {
        for (Pod pod : memberPods) {
            Optional<MemberResult> failed = unreported(pod).filter(r -> r.outcome() != Outcome.SUCCEEDED);
            if (failed.isEmpty()) {
                continue;
            }
            metrics.podFailed(search.getMetadata().getNamespace(), search.getMetadata().getName());
            events.warning(search, failed.get().outcome() == Outcome.DISRUPTED ? SearchEvents.POD_DISRUPTED
                    : SearchEvents.POD_FAILED, failed.get().message());
            writer.annotate(pod, REPORTED, "true");
        }
    }

    private static Optional<MemberResult> unreported(Pod pod) {
        var annotations = pod.getMetadata().getAnnotations();
        if (annotations != null && annotations.containsKey(REPORTED)) {
            return Optional.empty();
        }
        return PodObserver.key(pod).flatMap(k -> PodObserver.result(k, pod));
    }
}
