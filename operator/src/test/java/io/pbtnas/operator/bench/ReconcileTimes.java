package io.pbtnas.operator.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JOSDK's metrics hook, keeping every sample: {@code body} is the reconciler's own
 * {@code reconcile()} (what the operator's {@code pbtnas_reconcile_seconds} times: list pods, decide,
 * create pods, events), {@code execution} is one whole JOSDK execution from start to finish, which
 * adds the status patch and JOSDK's bookkeeping; {@code queued} is submit → start (waiting for a thread).
 */
final class ReconcileTimes implements Metrics {
    private final Map<ResourceID, Long> submittedAt = new ConcurrentHashMap<>();
    // Per thread, not per resource: JOSDK may start the resource's next execution on another thread
    // (from eventProcessingFinished) before this one reports reconciliationFinished.
    private final ThreadLocal<Long> startedAt = new ThreadLocal<>();
    private final List<Long> body = new ArrayList<>();
    private final List<Long> execution = new ArrayList<>();
    private final List<Long> queued = new ArrayList<>();

    @Override
    public void reconciliationSubmitted(HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
        submittedAt.put(ResourceID.fromResource(resource), System.nanoTime());
    }

    @Override
    public void reconciliationStarted(HasMetadata resource, Map<String, Object> metadata) {
        long now = System.nanoTime();
        ResourceID id = ResourceID.fromResource(resource);
        startedAt.set(now);
        Long submitted = submittedAt.remove(id);
        if (submitted != null) {
            add(queued, now - submitted);
        }
    }

    @Override
    public void reconciliationFinished(HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
        Long started = startedAt.get();
        startedAt.remove();
        if (started != null) {
            add(execution, System.nanoTime() - started);
        }
    }

    @Override
    public <T> T timeControllerExecution(ControllerExecution<T> run) throws Exception {
        if (!"reconcile".equals(run.name())) {
            return run.execute();
        }
        long t0 = System.nanoTime();
        try {
            return run.execute();
        } finally {
            add(body, System.nanoTime() - t0);
        }
    }

    private static void add(List<Long> samples, long nanos) {
        synchronized (samples) {
            samples.add(nanos);
        }
    }

    /** Samples in nanoseconds since the last {@link #reset()}. */
    List<Long> body() {
        return copy(body);
    }

    List<Long> execution() {
        return copy(execution);
    }

    List<Long> queued() {
        return copy(queued);
    }

    void reset() {
        for (List<Long> l : List.of(body, execution, queued)) {
            synchronized (l) {
                l.clear();
            }
        }
    }

    private static List<Long> copy(List<Long> samples) {
        synchronized (samples) {
            return new ArrayList<>(samples);
        }
    }
}
