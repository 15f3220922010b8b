package io.pbtnas.operator.plan;

import io.fabric8.kubernetes.api.model.Pod;
import io.pbtnas.core.engine.MemberResult;
import io.pbtnas.core.engine.Outcome;
import io.pbtnas.operator.observe.PodObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One Warning event (and one metric) per failed or disrupted member pod, marked on the pod so that a
 * restart does not repeat them. Pure: which pods to report, and what to say.
 */
public final class FailureReports {
    /** The annotation that marks a pod as reported. */
    public static final String REPORTED = "pbtnas.io/failure-reported";

    /** A failed pod to mark as reported, with its event. */
    public record Report(Pod pod, SearchEvent event) {
    }

    private FailureReports() {
    }

    public static List<Report> of(List<Pod> memberPods) {
        List<Report> out = new ArrayList<>();
        for (Pod pod : memberPods) {
            unreported(pod).filter(r -> r.outcome() != Outcome.SUCCEEDED).ifPresent(r -> out.add(new Report(pod,
                    SearchEvent.warning(r.outcome() == Outcome.DISRUPTED ? SearchEvent.POD_DISRUPTED
                            : SearchEvent.POD_FAILED, r.message()))));
        }
        return out;
    }

    private static Optional<MemberResult> unreported(Pod pod) {
        var annotations = pod.getMetadata().getAnnotations();
        if (annotations != null && annotations.containsKey(REPORTED)) {
            return Optional.empty();
        }
        return PodObserver.key(pod).flatMap(k -> PodObserver.result(k, pod));
    }
}
