package io.pbtnas.operator.it;

import io.pbtnas.operator.pods.ContainerNames;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.pbtnas.operator.observe.ContainerStatuses;
import io.pbtnas.operator.pods.PodLabels;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Start and finish times the test kubelet wrote into a member pod's container statuses. Like every
 * time in a pod (creationTimestamp too), they are whole seconds, rounded down: t1 before t2 as written
 * means t1 was before t2, while equal seconds say nothing about the order.
 */
final class PodStart {
    private PodStart() {}

    static Instant of(Pod pod) {
        return Instant.parse(trainer(pod).getStartedAt());
    }

    static Instant finished(Pod pod) {
        return Instant.parse(trainer(pod).getFinishedAt());
    }

    /** When the pod's last container (the verify container after the trainer) finished. */
    static Instant podFinished(Pod pod) {
        return statuses(pod).filter(cs -> cs.getState() != null && cs.getState().getTerminated() != null)
                .map(cs -> Instant.parse(cs.getState().getTerminated().getFinishedAt()))
                .max(Comparator.naturalOrder())
                .orElseThrow(() -> new AssertionError("no finished container on " + pod.getMetadata().getName()));
    }

    /** The trainer runs as an init container, before the verify container. */
    static ContainerStateTerminated trainer(Pod pod) {
        return statuses(pod)
                .filter(cs -> ContainerNames.TRAINER.equals(cs.getName()) && cs.getState() != null
                        && cs.getState().getTerminated() != null)
                .map(cs -> cs.getState().getTerminated())
                .findFirst().orElseThrow(() -> new AssertionError("no finished trainer on "
                        + pod.getMetadata().getName()));
    }

    static int member(Pod pod) {
        return Integer.parseInt(pod.getMetadata().getLabels().get(PodLabels.MEMBER));
    }

    /** The step (generation) the member pod trains. */
    static int step(Pod pod) {
        return Integer.parseInt(pod.getMetadata().getLabels().get(PodLabels.GENERATION));
    }

    /** One line per pod, in creation order: created, the trainer's start and finish, the pod's finish. */
    static String timeline(List<Pod> pods) {
        return pods.stream()
                .sorted(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp())
                        .thenComparing(p -> p.getMetadata().getName()))
                .map(p -> p.getMetadata().getName() + ": created " + p.getMetadata().getCreationTimestamp()
                        + ", trainer " + time(p, true) + ", finished " + time(p, false))
                .collect(Collectors.joining("\n  ", "\n  ", ""));
    }

    private static String time(Pod pod, boolean trainer) {
        try {
            return trainer ? of(pod) + ".." + finished(pod) : podFinished(pod).toString();
        } catch (AssertionError | RuntimeException e) {
            return "?";
        }
    }

    private static Stream<ContainerStatus> statuses(Pod pod) {
        return ContainerStatuses.inOrder(pod.getStatus());
    }
}
