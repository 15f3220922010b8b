package io.pbtnas.operator.bench;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.pbtnas.core.contract.TrainerContract;
import io.pbtnas.operator.pods.PodLabels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * When each member pod held its GPU, as one watch in the benchmark JVM saw it: from the moment it was
 * first seen bound to the node (the test kubelet binds a pod only when its nvidia.com/gpu fits, and
 * starts it at once) to the moment it was first seen terminal (the kubelet frees the GPU then).
 * Both ends come through the same watch, so its delay mostly cancels. Pod status times (startTime,
 * finishedAt) are kept beside them as a cross-check; Kubernetes writes them in whole seconds.
 */
final class GpuTimeline implements AutoCloseable {
    /** One member pod: (member, step, attempt), its genome, and the two sightings (nanoTime). */
    static final class Interval {
        String name;
        int member;
        int step;
        int attempt;
        String genome;
        long boundNanos = -1;
        long terminalNanos = -1;
        String phase;
        String statusStart;
        String statusFinish;
    }

    private final Map<String, Interval> pods = new ConcurrentHashMap<>();
    private final SharedIndexInformer<Pod> informer;

    GpuTimeline(KubernetesClient client, String namespace) {
        informer = client.pods().inNamespace(namespace).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                seen(pod);
            }

            @Override
            public void onUpdate(Pod oldPod, Pod pod) {
                seen(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean unknown) {
                seen(pod);
            }
        }, 0);
    }

    private void seen(Pod pod) {
        long now = System.nanoTime();
        Map<String, String> labels = pod.getMetadata().getLabels();
        if (labels == null || !PodLabels.ROLE_MEMBER.equals(labels.get(PodLabels.ROLE))) {
            return;
        }
        Interval iv = pods.computeIfAbsent(pod.getMetadata().getName(), n -> {
            Interval i = new Interval();
            i.name = n;
            i.member = Integer.parseInt(labels.get(PodLabels.MEMBER));
            i.step = Integer.parseInt(labels.get(PodLabels.GENERATION));
            i.attempt = Integer.parseInt(labels.getOrDefault(PodLabels.ATTEMPT, "0"));
            i.genome = genome(pod);
            return i;
        });
        synchronized (iv) {
            if (iv.boundNanos < 0 && pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty()) {
                iv.boundNanos = now;
            }
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            if (iv.terminalNanos < 0 && ("Succeeded".equals(phase) || "Failed".equals(phase))) {
                iv.terminalNanos = now;
                iv.phase = phase;
                iv.statusStart = pod.getStatus().getStartTime();
                iv.statusFinish = Stream.concat(statuses(pod.getStatus().getInitContainerStatuses()),
                                statuses(pod.getStatus().getContainerStatuses()))
                        .filter(cs -> cs.getState() != null && cs.getState().getTerminated() != null)
                        .map(cs -> cs.getState().getTerminated().getFinishedAt()).filter(t -> t != null)
                        .max(String::compareTo).orElse(null);
            }
        }
    }

    private static Stream<ContainerStatus> statuses(List<ContainerStatus> list) {
        return list == null ? Stream.empty() : list.stream();
    }

    /** The trainer's PBTNAS_GENOME (the trainer is an init container, before verify). */
    private static String genome(Pod pod) {
        List<Container> all = new ArrayList<>(pod.getSpec().getInitContainers() == null ? List.of()
                : pod.getSpec().getInitContainers());
        all.addAll(pod.getSpec().getContainers());
        for (Container c : all) {
            for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
                if (TrainerContract.GENOME.equals(e.getName())) {
                    return e.getValue();
                }
            }
        }
        return null;
    }

    /** Every member pod seen, in order of binding; times in seconds from {@code originNanos}. */
    List<Map<String, Object>> rows(long originNanos) {
        List<Interval> all = new ArrayList<>(pods.values());
        all.sort(java.util.Comparator.comparingLong((Interval i) -> i.boundNanos).thenComparing(i -> i.name));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Interval i : all) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("pod", i.name);
            r.put("member", i.member);
            r.put("step", i.step);
            r.put("attempt", i.attempt);
            r.put("genome", i.genome);
            r.put("boundS", i.boundNanos < 0 ? null : Stats.round3((i.boundNanos - originNanos) / 1e9));
            r.put("terminalS", i.terminalNanos < 0 ? null : Stats.round3((i.terminalNanos - originNanos) / 1e9));
            r.put("phase", i.phase);
            r.put("statusStartTime", i.statusStart);
            r.put("statusFinishedAt", i.statusFinish);
            out.add(r);
        }
        return out;
    }

    /** Earliest binding seen (nanoTime), or -1. */
    long firstBound() {
        return pods.values().stream().mapToLong(i -> i.boundNanos).filter(t -> t >= 0).min().orElse(-1);
    }

    /** Whether every member pod seen so far is terminal and there are {@code atLeast} of them. */
    boolean allTerminal(int atLeast) {
        return pods.size() >= atLeast && pods.values().stream().allMatch(i -> i.terminalNanos >= 0);
    }

    @Override
    public void close() {
        informer.close();
    }
}
