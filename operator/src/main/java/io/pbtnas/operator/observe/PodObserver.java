package io.pbtnas.operator.observe;

import io.pbtnas.core.pod.StorageFailure;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.pbtnas.core.contract.TrainerExit;
import io.pbtnas.core.contract.TrainerOutput;
import io.pbtnas.core.engine.MemberResult;
import io.pbtnas.core.engine.Outcome;
import io.pbtnas.core.status.StuckPod;
import io.pbtnas.operator.pods.ContainerNames;
import io.pbtnas.operator.pods.PodLabels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

/** Turns member pods into the engine's observations and the status builder's facts (pure: pods in, results out). */
public final class PodObserver {
    /** The pod status reason when activeDeadlineSeconds ran out. */
    public static final String DEADLINE_EXCEEDED = "DeadlineExceeded";

    private PodObserver() {}

    /** A member pod's identity, read back from its labels. */
    public record PodKey(int member, int generation, int attempt) {}

    public static Optional<PodKey> key(Pod pod) {
        var labels = pod.getMetadata().getLabels();
        if (labels == null || !PodLabels.ROLE_MEMBER.equals(labels.get(PodLabels.ROLE))) {
            return Optional.empty();
        }
        OptionalInt m = PodLabels.intLabel(labels, PodLabels.MEMBER);
        OptionalInt g = PodLabels.intLabel(labels, PodLabels.GENERATION);
        OptionalInt a = PodLabels.intLabel(labels, PodLabels.ATTEMPT);
        if (m.isEmpty() || g.isEmpty() || a.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PodKey(m.getAsInt(), g.getAsInt(), a.getAsInt()));
    }

    public static boolean isTerminal(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    /** Still occupying a slot of spec.parallelism. */
    public static boolean isActive(Pod pod) {
        return !isTerminal(pod);
    }

    /** Results of every member pod that has finished, or that is being deleted before finishing. */
    public static List<MemberResult> results(List<Pod> pods) {
        List<MemberResult> results = new ArrayList<>();
        for (Pod pod : pods) {
            key(pod).flatMap(k -> result(k, pod)).map(r -> r.withTimes(iso(PodTimes.startedAt(pod)),
                    iso(PodTimes.finishedAt(pod)))).ifPresent(results::add);
        }
        results.sort(Comparator.comparingInt(MemberResult::generation).thenComparingInt(MemberResult::member)
                .thenComparingInt(MemberResult::attempt));
        return results;
    }

    public static Optional<MemberResult> result(PodKey k, Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase)) {
            Optional<ContainerStateTerminated> t = terminated(pod, ContainerNames.TRAINER);
            String message = t.map(ContainerStateTerminated::getMessage).orElse(null);
            try {
                double score = score(message);
                return Optional.of(new MemberResult(k.member(), k.generation(), k.attempt(),
                        Outcome.SUCCEEDED, score, null));
            } catch (IllegalArgumentException e) {
                return Optional.of(failed(k, "pod " + pod.getMetadata().getName() + " succeeded but " + e.getMessage()));
            }
        }
        String name = pod.getMetadata().getName();
        Optional<String> disruption = disruption(pod);
        if ("Failed".equals(phase)) {
            if (disruption.isPresent()) {
                return Optional.of(result(k, Outcome.DISRUPTED, "pod " + name + " " + disruption.get()));
            }
            // A step past its deadline fails (and is retried) whatever exit code the kill left.
            boolean deadline = DEADLINE_EXCEEDED.equals(pod.getStatus().getReason());
            Outcome kind = deadline ? Outcome.FAILED : trainerExitCode(pod).stream().mapToObj(TrainerExit::outcome).findFirst()
                    .orElse(Outcome.FAILED);
            return Optional.of(result(k, kind == Outcome.BAD_INPUT ? kind : Outcome.FAILED,
                    "pod " + name + " failed: " + failure(pod)));
        }
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            // Its containers may still run (the grace period): the next attempt waits until it is gone
            // (MemberPodPlan), but the member is retried already.
            return Optional.of(disruption.map(d -> result(k, Outcome.DISRUPTED, "pod " + name + " " + d))
                    .orElseGet(() -> failed(k, "pod " + name + " was deleted before it finished")));
        }
        return Optional.empty();
    }

    /** status.reason values with which the kubelet or the node controller end a pod that did nothing wrong. */
    static final java.util.Set<String> DISRUPTED_REASONS = java.util.Set.of("Evicted", "Preempting", "NodeLost",
            "Terminated", "Shutdown", "NodeShutdown");

    /** The condition Kueue sets (True, reason e.g. WorkloadEvicted) on a pod it stops before deleting it. */
    static final String KUEUE_STOPPED = "TerminationTarget";

    /**
     * Why the pod was stopped from outside (an eviction, a preemption by the scheduler or Kueue, node loss
     * or shutdown), from its DisruptionTarget or Kueue's TerminationTarget condition or its status reason;
     * empty when it was not.
     */
    static Optional<String> disruption(Pod pod) {
        var status = pod.getStatus();
        if (status == null) {
            return Optional.empty();
        }
        if (status.getConditions() != null) {
            for (var c : status.getConditions()) {
                if ("DisruptionTarget".equals(c.getType()) && "True".equals(c.getStatus())) {
                    return Optional.of("was disrupted (" + (c.getReason() == null ? "DisruptionTarget" : c.getReason())
                            + (c.getMessage() == null || c.getMessage().isBlank() ? "" : ": " + StuckPod.abbreviate(c.getMessage()))
                            + ")");
                }
            }
        }
        if (status.getConditions() != null) {
            for (var c : status.getConditions()) {
                // Kueue's pod integration marks a pod it evicts or preempts so, then deletes it (pod_controller Stop)
                if (KUEUE_STOPPED.equals(c.getType()) && "True".equals(c.getStatus())) {
                    return Optional.of("was stopped by Kueue (" + (c.getReason() == null ? KUEUE_STOPPED : c.getReason())
                            + (c.getMessage() == null || c.getMessage().isBlank() ? "" : ": " + StuckPod.abbreviate(c.getMessage()))
                            + ")");
                }
            }
        }
        if (status.getReason() != null && DISRUPTED_REASONS.contains(status.getReason())) {
            return Optional.of("was disrupted (" + status.getReason()
                    + (status.getMessage() == null || status.getMessage().isBlank() ? ""
                            : ": " + StuckPod.abbreviate(status.getMessage())) + ")");
        }
        return Optional.empty();
    }

    /** The trainer container's exit code, when it has terminated. */
    static OptionalInt trainerExitCode(Pod pod) {
        return terminated(pod, ContainerNames.TRAINER).filter(t -> t.getExitCode() != null)
                .map(t -> OptionalInt.of(t.getExitCode())).orElse(OptionalInt.empty());
    }

    /** Waiting reasons of a container that the kubelet will not get past on its own. */
    static final java.util.Set<String> STUCK_WAITING = java.util.Set.of("ErrImagePull", "ImagePullBackOff",
            "CreateContainerConfigError", "InvalidImageName");

    /** The member pods that are pending for a reason a user must fix (unschedulable, image pull, container config). */
    public static List<StuckPod> stuck(List<Pod> pods) {
        List<StuckPod> out = new ArrayList<>();
        for (Pod pod : pods) {
            if (isTerminal(pod) || pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() == null) {
                continue;
            }
            key(pod).ifPresent(k -> stuckReason(pod).ifPresent(r -> out.add(
                    new StuckPod(k.member(), k.generation(), k.attempt(), pod.getMetadata().getName(), r[0], r[1]))));
        }
        out.sort(Comparator.comparingInt(StuckPod::generation).thenComparingInt(StuckPod::member)
                .thenComparingInt(StuckPod::attempt));
        return out;
    }

    /**
     * Member pods Kueue holds for admission (its scheduling gate): waiting for quota, which frees on its
     * own, so they are queued, never stuck (a gated pod's PodScheduled=False reason is SchedulingGated,
     * not Unschedulable, and it has no containers yet).
     */
    public static int queued(List<Pod> pods) {
        return (int) pods.stream().filter(p -> !isTerminal(p) && p.getMetadata().getDeletionTimestamp() == null
                && key(p).isPresent() && io.pbtnas.operator.pods.KueueLabels.waitsForAdmission(p)).count();
    }

    /** {reason, message} of a stuck pod: the scheduler's verdict first, then each container in start order. */
    public static Optional<String[]> stuckReason(Pod pod) {
        var status = pod.getStatus();
        if (status.getConditions() != null) {
            for (var c : status.getConditions()) {
                if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())
                        && "Unschedulable".equals(c.getReason())) {
                    return Optional.of(new String[] {"Unschedulable", c.getMessage()});
                }
            }
        }
        return ContainerStatuses.inOrder(status)
                .filter(cs -> cs.getState() != null && cs.getState().getWaiting() != null
                        && STUCK_WAITING.contains(cs.getState().getWaiting().getReason()))
                .findFirst()
                .map(cs -> new String[] {cs.getState().getWaiting().getReason(), "container " + cs.getName()
                        + (cs.getState().getWaiting().getMessage() == null ? ""
                                : ": " + cs.getState().getWaiting().getMessage())});
    }

    /** The trainer contract: the termination message is the metrics JSON, with a finite numeric "score". */
    static double score(String message) {
        return TrainerOutput.score(message, "its termination message");
    }

    public static String failure(Pod pod) {
        var status = pod.getStatus();
        if (DEADLINE_EXCEEDED.equals(status.getReason())) {
            // spec.trainer.stepTimeout (activeDeadlineSeconds): the kubelet killed the step, whatever exit code it left
            return DEADLINE_EXCEEDED + " (spec.trainer.stepTimeout)"
                    + (status.getMessage() == null ? "" : ": " + status.getMessage());
        }
        Stream<ContainerStatus> all = ContainerStatuses.inOrder(status);
        return all.filter(cs -> cs.getState() != null && cs.getState().getTerminated() != null
                        && cs.getState().getTerminated().getExitCode() != null
                        && cs.getState().getTerminated().getExitCode() != 0)
                .findFirst()
                .map(cs -> {
                    var t = cs.getState().getTerminated();
                    String msg = t.getMessage() == null || t.getMessage().isBlank() ? "" : ": " + StuckPod.abbreviate(t.getMessage());
                    return "container " + cs.getName() + " exited with " + t.getExitCode()
                            + (t.getReason() == null ? "" : " (" + t.getReason() + ")") + msg;
                })
                .orElse(status.getReason() != null ? status.getReason()
                        + (status.getMessage() == null ? "" : ": " + status.getMessage()) : "no exit code reported");
    }

    /**
     * What the member pods say of the bucket (spec.storage.s3): the latest report of a container that could
     * not reach it ({@link StorageFailure}), unless a member step succeeded (its result uploaded) after it.
     */
    public record BucketReport(String unreachable, boolean uploaded) {
        public static final BucketReport NONE = new BucketReport(null, false);
    }

    public static BucketReport bucket(List<Pod> memberPods) {
        java.time.Instant failedAt = null;
        java.time.Instant succeededAt = null;
        String unreachable = null;
        for (Pod pod : memberPods) {
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            java.time.Instant at = java.util.Objects.requireNonNullElse(PodTimes.finishedAt(pod), java.time.Instant.EPOCH);
            if ("Succeeded".equals(phase) && (succeededAt == null || at.isAfter(succeededAt))) {
                succeededAt = at;
            }
            if ("Failed".equals(phase) && (failedAt == null || at.isAfter(failedAt))) {
                Optional<String> detail = storageFailure(pod);
                if (detail.isPresent()) {
                    failedAt = at;
                    unreachable = "pod " + pod.getMetadata().getName() + ": " + detail.get();
                }
            }
        }
        boolean uploadedSince = succeededAt != null && (failedAt == null || succeededAt.isAfter(failedAt));
        return new BucketReport(uploadedSince ? null : unreachable, uploadedSince);
    }

    /** The detail of the first container that ended reporting an unreachable bucket. */
    static Optional<String> storageFailure(Pod pod) {
        var status = pod.getStatus();
        return ContainerStatuses.inOrder(status)
                .filter(cs -> cs.getState() != null && cs.getState().getTerminated() != null)
                .map(cs -> cs.getState().getTerminated().getMessage())
                .filter(StorageFailure::is)
                .map(m -> StuckPod.abbreviate(StorageFailure.detail(m)))
                .findFirst();
    }

    /** The container's terminated state; the trainer is an init container (before the verify container). */
    private static Optional<ContainerStateTerminated> terminated(Pod pod, String container) {
        if (pod.getStatus() == null) {
            return Optional.empty();
        }
        var status = pod.getStatus();
        return ContainerStatuses.inOrder(status)
                .filter(cs -> container.equals(cs.getName()) && cs.getState() != null)
                .map(cs -> cs.getState().getTerminated())
                .filter(t -> t != null)
                .findFirst();
    }

    private static String iso(java.time.Instant t) {
        return t == null ? null : t.toString();
    }

    private static MemberResult failed(PodKey k, String message) {
        return result(k, Outcome.FAILED, message);
    }

    private static MemberResult result(PodKey k, Outcome outcome, String message) {
        return new MemberResult(k.member(), k.generation(), k.attempt(), outcome, null, message);
    }

}
