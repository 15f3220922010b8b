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
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.pbtnas.operator.api.PbtNasSearch;
import io.pbtnas.operator.apply.PendingWrites;
import io.pbtnas.operator.apply.PlanApplier;
import io.pbtnas.operator.apply.PodCreationError;
import io.pbtnas.operator.apply.SearchMetrics;
import io.pbtnas.operator.config.OperatorConfig;
import io.pbtnas.operator.observe.ObservedSearch;
import io.pbtnas.operator.plan.CleanupPlanner;
import io.pbtnas.operator.plan.SearchPlan;
import io.pbtnas.operator.plan.SearchPlanner;
import io.pbtnas.operator.pods.PodLabels;
import io.quarkiverse.operatorsdk.annotations.RBACRule;
import io.quarkiverse.operatorsdk.annotations.RBACVerbs;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Observe ({@link ObservedSearch}, from the informer cache), plan ({@link SearchPlanner}, pure: the engine's
 * decision, pods, ConfigMaps, events, the status), apply ({@link PlanApplier}, the only writer). Nothing
 * is kept in memory, so a fresh instance resumes from status and pods alone. The finalizer is planned
 * and applied the same way ({@link CleanupPlanner}).
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
// Member, export and cleanup pods (PlanApplier's PodWriter; read through the informer).
@RBACRule(apiGroups = "", resources = "pods", verbs = {RBACVerbs.GET, RBACVerbs.LIST, RBACVerbs.WATCH,
        RBACVerbs.CREATE, RBACVerbs.DELETE, RBACVerbs.PATCH})
// The export pod reads the search from a ConfigMap the search owns (ConfigMapWriter); deleted once exported.
@RBACRule(apiGroups = "", resources = "configmaps", verbs = {RBACVerbs.CREATE, RBACVerbs.DELETE})
// EventWriter.
@RBACRule(apiGroups = "", resources = "events", verbs = {RBACVerbs.CREATE})
// Leader election (LeaderElection), in the operator's own namespace only. Fabric8's LeaseLock renews and
// takes over the Lease with a patch: without it a restarted operator never leads (SearchOnNodeTest).
@RBACRule(apiGroups = "coordination.k8s.io", resources = "leases", verbs = {RBACVerbs.GET, RBACVerbs.CREATE,
        RBACVerbs.UPDATE, RBACVerbs.PATCH})
public class SearchReconciler implements Reconciler<PbtNasSearch>, Cleaner<PbtNasSearch> {
    public static final String NAME = "pbtnassearch";

    private final SearchPlanner planner;
    private final CleanupPlanner cleanupPlanner;
    private final PlanApplier applier;
    private final SearchMetrics metrics;
    private final Clock clock;
    private final PendingWrites pending = new PendingWrites();
    /** Reconciles a search again when a background pod write needs it (see PodWriter). */
    private final SimpleInboundEventSource<PbtNasSearch> writes = new SimpleInboundEventSource<>("pbtnas-pod-writes");

    @Inject
    public SearchReconciler(KubernetesClient client, OperatorConfig config, SearchMetrics metrics) {
        this(client, config.settings(), metrics, Clock.systemUTC());
    }

    public SearchReconciler(KubernetesClient client, OperatorConfig.Settings config, SearchMetrics metrics, Clock clock) {
        this.planner = new SearchPlanner(config);
        this.cleanupPlanner = new CleanupPlanner(config);
        this.applier = new PlanApplier(client, metrics, pending, writes::propagateEvent);
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
        return List.of(new InformerEventSource<>(config, context), writes);
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
        SearchPlan plan = planner.plan(observe(search, context), Instant.now(clock));
        return applier.apply(search, context, plan);
    }

    /**
     * JOSDK's error-status handling: a pod the API server refused becomes condition PodCreationFailed and
     * a Warning event ({@link SearchPlanner#refused}); the search is reconciled again after a backoff,
     * without end (a quota frees up; an invalid pod gets fixed in the spec).
     */
    @Override
    public ErrorStatusUpdateControl<PbtNasSearch> updateErrorStatus(PbtNasSearch search, Context<PbtNasSearch> context,
            Exception e) {
        return PodCreationError.in(e)
                .map(refused -> applier.apply(search, planner.refused(search, refused.refusal(), Instant.now(clock))))
                .orElseGet(ErrorStatusUpdateControl::defaultErrorProcessing);
    }

    @Override
    public DeleteControl cleanup(PbtNasSearch search, Context<PbtNasSearch> context) {
        ObservedSearch seen = observe(search, context);
        try {
            return applier.apply(search, context, cleanupPlanner.plan(seen, Instant.now(clock)));
        } catch (PodCreationError e) {
            return applier.apply(search, context, cleanupPlanner.cleanerRefused(seen, e.refusal(), Instant.now(clock)));
        }
    }

    /**
     * The informer cache (no LIST per reconcile), with the pods just created here (see PodWriter) and
     * those still being created in the background ({@link PendingWrites}).
     */
    private ObservedSearch observe(PbtNasSearch search, Context<PbtNasSearch> context) {
        // As a stream into a list: getSecondaryResources collects a Set, hashing every cached pod whole
        // (managedFields included), which was two thirds of a reconcile's CPU at 100 pods per search.
        return ObservedSearch.of(search, pending.observe(ResourceID.fromResource(search),
                () -> context.getSecondaryResourcesAsStream(Pod.class).toList()));
    }
}
