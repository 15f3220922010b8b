package io.pbtnas.operator.apply;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.operator.api.PbtNasSearch;
import io.pbtnas.operator.plan.CleanupPlan;
import io.pbtnas.operator.plan.FailureReports;
import io.pbtnas.operator.plan.RefusalPlan;
import io.pbtnas.operator.plan.SearchPlan;
import io.pbtnas.operator.pods.KueueLabels;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The only writer: carries out a plan, in the plan's order (pods, ConfigMaps, events, then the status
 * through {@link StatusPatch}). A refused pod stops it with {@link PodCreationError}; the pods written
 * before stay, and the next reconcile sees them. Of a plan's member pods only the first is created while
 * the reconcile waits; the other creates and the deletes are sent in the background ({@link PodWriter},
 * {@link PendingWrites}).
 */
public final class PlanApplier {
    private final PodWriter pods;
    private final ConfigMapWriter configMaps;
    private final EventWriter events;
    private final SearchMetrics metrics;

    /** How soon a search whose new pods came back gated by Kueue is reconciled again. */
    static final Duration QUEUED_RECHECK = Duration.ofSeconds(1);

    private final PendingWrites pending;
    private final Consumer<ResourceID> reconcileAgain;

    /**
     * @param pending the background pod writes, which {@code SearchReconciler} adds to what it observes
     * @param reconcileAgain asks for another reconcile of a search (a background write failed)
     */
    public PlanApplier(KubernetesClient client, SearchMetrics metrics, PendingWrites pending,
            Consumer<ResourceID> reconcileAgain) {
        this.pending = pending;
        this.reconcileAgain = reconcileAgain;
        this.pods = new PodWriter(client, metrics, pending);
        this.configMaps = new ConfigMapWriter(client);
        this.events = new EventWriter(client);
        this.metrics = metrics;
    }

    public UpdateControl<PbtNasSearch> apply(PbtNasSearch search, Context<PbtNasSearch> context, SearchPlan plan) {
        String ns = search.getMetadata().getNamespace();
        String name = search.getMetadata().getName();
        for (FailureReports.Report report : plan.reports()) {
            metrics.podFailed(ns, name);
            events.emit(search, report.event());
            pods.annotate(report.pod(), FailureReports.REPORTED, "true");
        }
        ResourceID id = ResourceID.fromResource(search);
        pods.deleteAll(id, plan.delete(), () -> reconcileAgain.accept(id));
        List<Pod> created = pods.createAll(context, id, plan.create(), () -> reconcileAgain.accept(id));
        plan.export().ifPresent(start -> {
            configMaps.create(start.input());
            pods.create(context, start.pod());
        });
        if (plan.deleteExportInput()) {
            configMaps.delete(ns, name);
        }
        plan.events().forEach(e -> events.emit(search, e));
        SearchStatus next = plan.status();
        metrics.observe(ns, name, next.generation() == null ? 0 : next.generation(),
                next.best() == null ? null : next.best().score());
        UpdateControl<PbtNasSearch> control = StatusPatch.control(search, next);
        Duration requeue = plan.requeue();
        if (created.stream().anyMatch(KueueLabels::waitsForAdmission)) {
            // Our own creates trigger no reconcile (JOSDK filters them), and Kueue's gate came with the
            // create (of the first pod: the search's pods share one queue): look again soon, so condition
            // Queued and its event follow the pods just created.
            requeue = requeue == null || requeue.compareTo(QUEUED_RECHECK) > 0 ? QUEUED_RECHECK : requeue;
        }
        if (requeue != null) {
            control.rescheduleAfter(requeue.toMillis());
        }
        return control;
    }

    public ErrorStatusUpdateControl<PbtNasSearch> apply(PbtNasSearch search, RefusalPlan plan) {
        plan.event().ifPresent(e -> events.emit(search, e));
        return StatusPatch.errorControl(search, plan.status()).withNoRetry().rescheduleAfter(plan.retryIn());
    }

    /** One finalizer step; a refused cleaner pod is thrown as {@link PodCreationError}, before anything else. */
    public DeleteControl apply(PbtNasSearch search, Context<PbtNasSearch> context, CleanupPlan plan) {
        plan.createCleaner().ifPresent(pod -> pods.create(context, pod));
        plan.events().forEach(e -> events.emit(search, e));
        plan.delete().forEach(pods::delete);
        plan.status().ifPresent(status -> StatusPatch.now(context, search, status));
        if (plan.release()) {
            pending.forget(ResourceID.fromResource(search));
            metrics.forget(search.getMetadata().getNamespace(), search.getMetadata().getName());
            return DeleteControl.defaultDelete();
        }
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(plan.recheck().toMillis());
    }
}
