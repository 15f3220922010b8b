package io.pbtnas.operator;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.pbtnas.core.engine.Decision;
import io.pbtnas.core.engine.Engine;
import io.pbtnas.core.model.SearchStatus;
import io.quarkiverse.operatorsdk.annotations.RBACRule;
import io.quarkiverse.operatorsdk.annotations.RBACVerbs;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Observe ({@link ObservedSearch}), decide ({@link Engine#decide}, {@link MemberPodPlan},
 * {@link ExportDecision}), apply ({@link PodWriter}, events, the status patch). Pods are read from the
 * informer cache (with JOSDK's temporary cache of the pods just created); nothing else is kept in memory,
 * so a fresh instance resumes from status and pods alone.
 */
@ControllerConfiguration(name = SearchReconciler.NAME)
// Every API access the operator needs, the one source of its RBAC: the Helm chart's rules
// (helm/pbtnas/files/operator-rules.yaml) are generated from these (RbacRulesTest says how).
// The searches: JOSDK's informer (get, list, watch), its finalizer and status patches.
@RBACRule(apiGroups = "pbtnas.io", resources = "pbtnassearches", verbs = {RBACVerbs.GET, RBACVerbs.LIST,
        RBACVerbs.WATCH, RBACVerbs.PATCH, RBACVerbs.UPDATE})
@RBACRule(apiGroups = "pbtnas.io", resources = "pbtnassearches/status", verbs = {RBACVerbs.GET, RBACVerbs.PATCH,
        RBACVerbs.UPDATE})
// Member and export pods are owned by their search with blockOwnerDeletion, which needs this.
@RBACRule(apiGroups = "pbtnas.io", resources = "pbtnassearches/finalizers", verbs = RBACVerbs.UPDATE)
// Member, export and cleanup pods (PodWriter, SearchCleanup; read through the informer).
@RBACRule(apiGroups = "", resources = "pods", verbs = {RBACVerbs.GET, RBACVerbs.LIST, RBACVerbs.WATCH,
        RBACVerbs.CREATE, RBACVerbs.DELETE, RBACVerbs.PATCH})
// The export pod reads the search from a ConfigMap the search owns (ExportInputWriter); deleted once exported.
@RBACRule(apiGroups = "", resources = "configmaps", verbs = {RBACVerbs.CREATE, RBACVerbs.DELETE})
// SearchEvents.
@RBACRule(apiGroups = "", resources = "events", verbs = {RBACVerbs.CREATE})
// Leader election (LeaderElection), in the operator's own namespace only. Fabric8's LeaseLock renews and
// takes over the Lease with a patch: without it a restarted operator never leads (SearchOnNodeTest).
@RBACRule(apiGroups = "coordination.k8s.io", resources = "leases", verbs = {RBACVerbs.GET, RBACVerbs.CREATE,
        RBACVerbs.UPDATE, RBACVerbs.PATCH})
public class SearchReconciler implements Reconciler<PbtNasSearch>, Cleaner<PbtNasSearch> {
    public static final String NAME = "pbtnassearch";

    private final OperatorConfig.Settings config;
    private final PodFactory factory;
    private final PodWriter writer;
    private final ExportInputWriter exportInputs;
    private final SearchEvents events;
    private final FailureReporter failures;
    private final SearchAnnouncer announcer;
    private final SearchCleanup cleanup;
    private final SearchMetrics metrics;
    private final Clock clock;

    @Inject
    public SearchReconciler(KubernetesClient client, OperatorConfig config, SearchMetrics metrics) {
        this(client, config.settings(), metrics, Clock.systemUTC());
    }

    public SearchReconciler(KubernetesClient client, OperatorConfig.Settings config, SearchMetrics metrics, Clock clock) {
        this.config = config;
        this.factory = new PodFactory(config);
        this.writer = new PodWriter(client, metrics);
        this.exportInputs = new ExportInputWriter(client);
        this.events = new SearchEvents(client);
        this.failures = new FailureReporter(events, metrics, writer);
        this.announcer = new SearchAnnouncer(events);
        this.cleanup = new SearchCleanup(client, factory, writer, events, config.cleanupTimeout(), clock);
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, PbtNasSearch>> prepareEventSources(EventSourceContext<PbtNasSearch> context) {
        // Pods map to their search by label (the cleanup pod has no owner reference).
        var config = InformerEventSourceConfiguration.from(Pod.class, PbtNasSearch.class)
                .withLabelSelector(PodLabels.SEARCH)
                .withSecondaryToPrimaryMapper((Pod pod) -> Set.of(new ResourceID(
                        pod.getMetadata().getLabels().get(PodLabels.SEARCH), pod.getMetadata().getNamespace())))
                .build();
        return List.of(new InformerEventSource<>(config, context));
    }

    @Override
    public UpdateControl<PbtNasSearch> reconcile(PbtNasSearch search, Context<PbtNasSearch> context) {
        long start = System.nanoTime();
        try {
            return reconcileOnce(search, context);
        } finally {
            metrics.reconcileTimer().record(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private UpdateControl<PbtNasSearch> reconcileOnce(PbtNasSearch search, Context<PbtNasSearch> context) {
        Instant now = Instant.now(clock);
        // The informer cache (no LIST per reconcile), with the pods just created here (see PodWriter).
        ObservedSearch seen = ObservedSearch.of(search, List.copyOf(context.getSecondaryResources(Pod.class)));
        if (!seen.problems().isEmpty()) {
            // Paused, not failed: no pod is created or deleted (running steps finish and are read once
            // the spec is fixed), and fixing the spec resumes from this status.
            String why = String.join("; ", seen.problems());
            SearchStatus paused = StatusConditions.paused(seen.status(), why, seen.observedGeneration(), now.toString());
            if (!paused.equals(seen.status())) {
                events.warning(search, SearchEvents.INVALID_SPEC, why);
            }
            return patchIfChanged(search, seen.status(), paused);
        }
        failures.report(search, seen.memberPods());

        Decision decision = Engine.decide(seen.spec(), seen.status(), seen.results());
        MemberPodPlan plan = MemberPodPlan.of(search.getMetadata().getName(), seen.spec().parallelism(),
                seen.spec().suspended(), seen.memberPods(), decision.actions(), now, config::backoff);
        plan.delete().forEach(writer::delete);
        // Only what the persisted status (seen.status(), not the one about to be patched) already records.
        FinishedPods.toDelete(seen.status(), seen.memberPods()).forEach(writer::delete);
        writer.createAll(context, plan.create().stream().map(t -> factory.memberPod(search, seen.spec(), t)).toList());
        ExportDecision.Result export = ExportDecision.decide(search.getMetadata().getName(), decision.status(),
                seen.status(), seen.exportPods(), seen.spec().failurePolicy().maxRetries(), now, config::backoff);
        export.create().ifPresent(attempt -> {
            exportInputs.create(ExportInput.configMap(search, seen.spec(), decision.status()));
            writer.create(context, factory.exportPod(search, seen.spec(), attempt));
        });
        if (export.succeeded()) {
            exportInputs.delete(search.getMetadata().getNamespace(), search.getMetadata().getName());
        }

        SearchStatus next = StatusConditions.withConditions(decision.status(), seen.status(), seen.observedGeneration(),
                now.toString(), export.condition(), seen.stuck(), seen.spec().suspended());
        announcer.announce(search, seen.status(), next);
        metrics.observe(search.getMetadata().getNamespace(), search.getMetadata().getName(),
                next.generation() == null ? 0 : next.generation(), next.best() == null ? null : next.best().score());

        UpdateControl<PbtNasSearch> control = patchIfChanged(search, seen.status(), next);
        Duration wait = earliest(plan.retryIn(), export.retryIn());
        if (wait != null) {
            control.rescheduleAfter(wait.toMillis());
        }
        return control;
    }

    /**
     * JOSDK's error-status handling: a pod the API server refused becomes condition
     * PodCreationFailed and a Warning event with the server's message (once per change of message),
     * and the search is reconciled again after a backoff, without end (a quota frees up; an
     * invalid pod gets fixed in the spec). The phase is untouched: waiting, not failed.
     */
    @Override
    public ErrorStatusUpdateControl<PbtNasSearch> updateErrorStatus(PbtNasSearch search, Context<PbtNasSearch> context,
            Exception e) {
        var refused = PodCreationError.in(e);
        if (refused.isEmpty()) {
            return ErrorStatusUpdateControl.defaultErrorProcessing();
        }
        SearchStatus old = search.getStatus();
        Instant now = Instant.now(clock);
        Duration retryIn = PodCreationError.retryIn(old, now, config.retryBackoffBase(), config.retryBackoffMax());
        long observedGeneration = ObservedSearch.generation(search);
        SearchStatus next = refused.get().statusWith(old, observedGeneration, now.toString());
        String message = next.condition(PodCreationError.CONDITION).orElseThrow().message();
        boolean sameMessage = old != null && old.condition(PodCreationError.CONDITION)
                .map(c -> message.equals(c.message())).orElse(false);
        if (!sameMessage) {
            events.warning(search, PodCreationError.CONDITION, message);
        }
        return ErrorStatusUpdateControl.patchStatus(StatusPatch.of(search, next)).withNoRetry().rescheduleAfter(retryIn);
    }

    @Override
    public DeleteControl cleanup(PbtNasSearch search, Context<PbtNasSearch> context) {
        DeleteControl control = cleanup.step(search, context);
        if (control.isRemoveFinalizer()) {
            metrics.forget(search.getMetadata().getNamespace(), search.getMetadata().getName());
        }
        return control;
    }

    private static UpdateControl<PbtNasSearch> patchIfChanged(PbtNasSearch search, SearchStatus old, SearchStatus next) {
        return next.equals(old) ? UpdateControl.noUpdate() : UpdateControl.patchStatus(StatusPatch.of(search, next));
    }

    private static Duration earliest(Duration a, Duration b) {
        if (a == null) {
            return b;
        }
        return b == null || a.compareTo(b) <= 0 ? a : b;
    }
}
