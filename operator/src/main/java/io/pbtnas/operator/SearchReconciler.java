package io.pbtnas.operator;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pbtnas.core.engine.Action;
import io.pbtnas.core.engine.Decision;
import io.pbtnas.core.engine.Engine;
import io.pbtnas.core.engine.MemberResult;
import io.pbtnas.core.engine.Outcome;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.core.model.SpecValidator;
import io.pbtnas.core.model.StorageSpec;
import io.quarkiverse.operatorsdk.annotations.RBACRule;
import io.quarkiverse.operatorsdk.annotations.RBACVerbs;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Observe (member pods → results), decide ({@link Engine#decide}), apply (create/delete pods, patch
 * status, emit events). Pods are read from the informer cache; the only state in memory is which pods were
 * just created ({@link RecentPods}), so a fresh instance resumes from status and pods alone.
 */
@ControllerConfiguration(name = SearchReconciler.NAME)
@RBACRule(apiGroups = "", resources = "pods", verbs = {RBACVerbs.GET, RBACVerbs.LIST, RBACVerbs.WATCH,
        RBACVerbs.CREATE, RBACVerbs.DELETE, RBACVerbs.PATCH})
@RBACRule(apiGroups = "", resources = "events", verbs = {RBACVerbs.CREATE})
@RBACRule(apiGroups = "coordination.k8s.io", resources = "leases", verbs = {RBACVerbs.GET, RBACVerbs.CREATE,
        RBACVerbs.UPDATE})
public class SearchReconciler implements Reconciler<PbtNasSearch>, Cleaner<PbtNasSearch> {
    public static final String NAME = "pbtnassearch";
    static final String REPORTED = "pbtnas.io/failure-reported";
    private static final Logger LOG = Logger.getLogger(SearchReconciler.class);
    // Far longer than an informer lags behind a create; bounds what a pod deleted unseen leaves behind.
    private static final Duration RECENT_TTL = Duration.ofMinutes(2);
    // Shared by all searches: bounds the concurrent pod writes one operator sends to the API server.
    private static final ExecutorService POD_WRITERS = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "pbtnas-pod-writer");
        t.setDaemon(true);
        return t;
    });

    private final KubernetesClient client;
    private final OperatorConfig.Settings config;
    private final PodFactory pods;
    private final SearchEvents events;
    private final SearchMetrics metrics;
    private final Clock clock;
    private final RecentPods recent;

    @Inject
    public SearchReconciler(KubernetesClient client, OperatorConfig config, SearchMetrics metrics) {
        this(client, config.settings(), metrics, Clock.systemUTC());
    }

    public SearchReconciler(KubernetesClient client, OperatorConfig.Settings config, SearchMetrics metrics, Clock clock) {
        this.client = client;
        this.config = config;
        this.pods = new PodFactory(config);
        this.events = new SearchEvents(client);
        this.metrics = metrics;
        this.clock = clock;
        this.recent = new RecentPods(clock, RECENT_TTL);
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
        String ns = search.getMetadata().getNamespace();
        String name = search.getMetadata().getName();
        long observedGeneration = Objects.requireNonNullElse(search.getMetadata().getGeneration(), 0L);
        SearchStatus old = search.getStatus();
        String now = Instant.now(clock).toString();

        SearchSpec spec = search.getSpec().withDefaults();
        List<String> problems = SpecValidator.problems(search.getSpec());
        if (!problems.isEmpty()) {
            // Paused, not failed: no pod is created or deleted (running steps finish and are read once
            // the spec is fixed), and fixing the spec resumes from this status.
            SearchStatus paused = StatusConditions.paused(old, String.join("; ", problems), observedGeneration, now);
            if (!paused.equals(old)) {
                events.warning(search, SearchEvents.INVALID_SPEC, String.join("; ", problems));
            }
            return patchIfChanged(search, old, paused);
        }

        List<Pod> searchPods = pods(context, ns, name);
        List<Pod> memberPods = withRole(searchPods, PodLabels.ROLE_MEMBER);
        List<MemberResult> results = PodObserver.results(memberPods);
        reportFailures(search, memberPods);

        Decision decision = Engine.decide(spec, old, results);
        Duration wait = applyPods(search, spec, memberPods, decision.actions());
        ExportDecision.Result export = applyExport(search, withRole(searchPods, PodLabels.ROLE_EXPORT), spec,
                decision.status(), old);
        if (export.retryIn() != null && (wait == null || export.retryIn().compareTo(wait) < 0)) {
            wait = export.retryIn();
        }

        SearchStatus next = StatusConditions.withConditions(decision.status(), old, observedGeneration, now,
                export.condition(), PodObserver.stuck(memberPods));
        announceTransitions(search, old, next);
        announceStuck(search, old, next);
        metrics.observe(ns, name, next.generation() == null ? 0 : next.generation(),
                next.best() == null ? null : next.best().score());

        UpdateControl<PbtNasSearch> control = patchIfChanged(search, old, next);
        if (wait != null) {
            control.rescheduleAfter(wait.toMillis());
        }
        return control;
    }

    /** Creates missing pods (bounded by parallelism and retry backoff), deletes obsolete ones. */
    private Duration applyPods(PbtNasSearch search, SearchSpec spec, List<Pod> existing, List<Action> actions) {
        List<Action.Train> trains = actions.stream()
                .filter(Action.Train.class::isInstance).map(Action.Train.class::cast)
                .sorted(Comparator.comparingInt(Action.Train::generation).thenComparingInt(Action.Train::member))
                .toList();
        String name = search.getMetadata().getName();
        Set<String> wanted = trains.stream()
                .map(t -> PodLabels.memberPodName(name, t.member(), t.generation(), t.attempt()))
                .collect(Collectors.toSet());
        Map<String, Pod> byName = new HashMap<>();
        for (Pod pod : existing) {
            byName.put(pod.getMetadata().getName(), pod);
            // A pod the engine no longer wants (a superseded attempt) must not hold a slot or a GPU.
            if (PodObserver.isActive(pod) && !wanted.contains(pod.getMetadata().getName())
                    && pod.getMetadata().getDeletionTimestamp() == null) {
                delete(pod);
            }
        }
        long active = existing.stream()
                .filter(p -> wanted.contains(p.getMetadata().getName()) && PodObserver.isActive(p)).count();
        int parallelism = spec.parallelism();
        Duration wait = null;
        List<Pod> toCreate = new ArrayList<>();
        for (Action.Train train : trains) {
            String podName = PodLabels.memberPodName(name, train.member(), train.generation(), train.attempt());
            if (byName.containsKey(podName)) {
                continue;
            }
            if (active >= parallelism) {
                break;
            }
            Duration remaining = backoffRemaining(byName, name, train);
            if (!remaining.isZero()) {
                wait = wait == null || remaining.compareTo(wait) < 0 ? remaining : wait;
                continue;
            }
            toCreate.add(pods.memberPod(search, spec, train));
            active++;
        }
        createAll(search, toCreate);
        return wait;
    }

    /**
     * A generation's pods are independent, so they are created a few at a time rather than one
     * after another: the turnaround between generations is then not N sequential round trips.
     */
    private void createAll(PbtNasSearch search, List<Pod> toCreate) {
        if (toCreate.size() <= 1) {
            toCreate.forEach(pod -> create(search, pod));
            return;
        }
        List<CompletableFuture<Void>> writes = toCreate.stream()
                .map(pod -> CompletableFuture.runAsync(() -> create(search, pod), POD_WRITERS)).toList();
        try {
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            // The pods that were created stay: the next reconcile sees them and creates only the rest.
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Once complete: one export pod writes best/ and history.json (retried like a member pod). */
    private ExportDecision.Result applyExport(PbtNasSearch search, List<Pod> exportPods, SearchSpec spec,
            SearchStatus engine, SearchStatus old) {
        ExportDecision.Result r = ExportDecision.decide(search.getMetadata().getName(), engine, old, exportPods,
                spec.failurePolicy().maxRetries(), Instant.now(clock), config::backoff);
        r.create().ifPresent(attempt -> create(search, pods.exportPod(search, spec, engine, attempt)));
        return r;
    }

    private Duration backoffRemaining(Map<String, Pod> byName, String search, Action.Train train) {
        if (train.attempt() == 0) {
            return Duration.ZERO;
        }
        Pod previous = byName.get(PodLabels.memberPodName(search, train.member(), train.generation(), train.attempt() - 1));
        Instant failedAt = previous == null ? null : PodTimes.finishedAt(previous);
        if (failedAt == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(Instant.now(clock), failedAt.plus(config.backoff(train.attempt())));
        return left.isNegative() ? Duration.ZERO : left;
    }

    private void create(PbtNasSearch search, Pod pod) {
        try {
            recent.created(client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create());
            metrics.podStarted(search.getMetadata().getNamespace(), search.getMetadata().getName());
            LOG.debugf("created pod %s", pod.getMetadata().getName());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) { // 409: created before a restart, or the cache lagged; both fine
                // Quota, an invalid pod, a webhook: the status and an event say so (updateErrorStatus).
                throw new PodCreationError(pod.getMetadata().getName(), e);
            }
        }
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
        long observedGeneration = Objects.requireNonNullElse(search.getMetadata().getGeneration(), 0L);
        SearchStatus next = refused.get().statusWith(old, observedGeneration, now.toString());
        String message = next.condition(PodCreationError.CONDITION).orElseThrow().message();
        boolean sameMessage = old != null && old.condition(PodCreationError.CONDITION)
                .map(c -> message.equals(c.message())).orElse(false);
        if (!sameMessage) {
            events.warning(search, PodCreationError.CONDITION, message);
        }
        PbtNasSearch patch = new PbtNasSearch();
        patch.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withName(search.getMetadata().getName())
                .withNamespace(search.getMetadata().getNamespace())
                .build());
        patch.setStatus(next);
        return ErrorStatusUpdateControl.patchStatus(patch).withNoRetry().rescheduleAfter(retryIn);
    }


    private void delete(Pod pod) {
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
            recent.deleted(pod);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    /** One event and one metric per failed pod, marked on the pod so a restart does not repeat them. */
    private void reportFailures(PbtNasSearch search, List<Pod> memberPods) {
        for (Pod pod : memberPods) {
            var annotations = pod.getMetadata().getAnnotations();
            if (annotations != null && annotations.containsKey(REPORTED)) {
                continue;
            }
            var key = PodObserver.key(pod);
            var result = key.flatMap(k -> PodObserver.result(k, pod));
            if (result.isEmpty() || result.get().outcome() != Outcome.FAILED) {
                continue;
            }
            metrics.podFailed(search.getMetadata().getNamespace(), search.getMetadata().getName());
            events.warning(search, SearchEvents.POD_FAILED, result.get().message());
            try {
                client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                        .edit(p -> {
                            p.getMetadata().getAnnotations().put(REPORTED, "true");
                            return p;
                        });
            } catch (KubernetesClientException e) {
                LOG.debugf("could not mark pod %s as reported: %s", pod.getMetadata().getName(), e.getMessage());
            }
        }
    }

    private void announceTransitions(PbtNasSearch search, SearchStatus old, SearchStatus next) {
        for (String message : Transitions.generationsCompleted(old, next)) {
            events.normal(search, SearchEvents.GENERATION_COMPLETED, message);
        }
        for (String message : Transitions.membersReplaced(old, next)) {
            events.normal(search, SearchEvents.MEMBER_REPLACED, message);
        }
        Transitions.completed(old, next).ifPresent(m -> events.normal(search, SearchEvents.SEARCH_COMPLETED, m));
        Transitions.exported(old, next).ifPresent(m -> events.normal(search, SearchEvents.BEST_EXPORTED, m));
        Transitions.exportFailed(old, next).ifPresent(m -> events.warning(search, SearchEvents.EXPORT_FAILED, m));
    }

    /** A Warning event each time the set of stuck pods (the Stuck message) changes to a new non-empty one. */
    private void announceStuck(PbtNasSearch search, SearchStatus old, SearchStatus next) {
        var now = next.condition(StatusConditions.STUCK).filter(c -> "True".equals(c.status()));
        if (now.isEmpty()) {
            return;
        }
        boolean same = old != null && old.condition(StatusConditions.STUCK)
                .map(c -> "True".equals(c.status()) && Objects.equals(c.message(), now.get().message())).orElse(false);
        if (!same) {
            events.warning(search, SearchEvents.POD_STUCK, now.get().message());
        }
    }

    private UpdateControl<PbtNasSearch> patchIfChanged(PbtNasSearch search, SearchStatus old, SearchStatus next) {
        if (next.equals(old)) {
            return UpdateControl.noUpdate();
        }
        PbtNasSearch patch = new PbtNasSearch();
        patch.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withName(search.getMetadata().getName())
                .withNamespace(search.getMetadata().getNamespace())
                .build());
        patch.setStatus(next);
        return UpdateControl.patchStatus(patch);
    }

    /**
     * The search's pods from the informer cache (mapped to it by label; at least as fresh as the event
     * that started this reconcile), plus the pods created here that it does not show yet. A LIST per
     * reconcile would cost a round trip and the full pod list (tens of KiB per pod) every time.
     */
    private List<Pod> pods(Context<PbtNasSearch> context, String ns, String name) {
        return recent.withCached(ns, name, List.copyOf(context.getSecondaryResources(Pod.class)));
    }

    private static List<Pod> withRole(List<Pod> pods, String role) {
        return pods.stream().filter(p -> role.equals(p.getMetadata().getLabels().get(PodLabels.ROLE))).toList();
    }

    @Override
    public DeleteControl cleanup(PbtNasSearch search, Context<PbtNasSearch> context) {
        String ns = search.getMetadata().getNamespace();
        String name = search.getMetadata().getName();
        // Owner references let the garbage collector do this too; deleting here also stops trainers
        // (and an export) before their files are removed, and works where no garbage collector runs.
        List<Pod> remaining = client.pods().inNamespace(ns).withLabel(PodLabels.SEARCH, name).list().getItems()
                .stream().filter(p -> !PodLabels.ROLE_CLEANUP.equals(p.getMetadata().getLabels().get(PodLabels.ROLE)))
                .toList();
        remaining.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).forEach(this::delete);
        if (!remaining.isEmpty()) {
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(1000);
        }
        metrics.forget(ns, name);
        recent.forget(ns, name);
        SearchSpec spec = search.getSpec().withDefaults();
        if (spec.storage() == null || spec.storage().retention() != StorageSpec.Retention.DELETE) {
            return DeleteControl.defaultDelete();
        }
        Pod cleaner = client.pods().inNamespace(ns).withName(PodLabels.cleanupPodName(name)).get();
        if (cleaner == null) {
            create(search, pods.cleanupPod(search, spec));
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(1000);
        }
        String phase = cleaner.getStatus() == null ? null : cleaner.getStatus().getPhase();
        if ("Succeeded".equals(phase)) {
            events.normal(search, SearchEvents.CHECKPOINTS_DELETED, "deleted " + SearchVolume.subPath(search));
        } else if ("Failed".equals(phase)) {
            events.warning(search, SearchEvents.CHECKPOINTS_DELETED, "could not delete " + SearchVolume.subPath(search)
                    + "; the files are left on the volume, remove them by hand");
        } else {
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(1000);
        }
        delete(cleaner);
        return DeleteControl.defaultDelete();
    }
}
