package io.pbtnas.operator.plan;

import io.fabric8.kubernetes.api.model.Pod;
import io.pbtnas.core.engine.Decision;
import io.pbtnas.core.engine.Engine;
import io.pbtnas.core.model.Condition;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.core.status.ConditionType;
import io.pbtnas.core.status.SearchConditions;
import io.pbtnas.core.status.StuckPod;
import io.pbtnas.operator.api.PbtNasSearch;
import io.pbtnas.operator.config.Backoff;
import io.pbtnas.operator.config.OperatorConfig;
import io.pbtnas.operator.observe.ObservedSearch;
import io.pbtnas.operator.observe.PodObserver;
import io.pbtnas.operator.pods.ExportInput;
import io.pbtnas.operator.pods.ExportPods;
import io.pbtnas.operator.pods.KueueLabels;
import io.pbtnas.operator.pods.MemberPods;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides a whole reconcile from what was observed: the engine's decision, the member pods to create
 * and delete ({@link MemberPodPlan}, {@link FinishedPods}), the export ({@link ExportDecision}), failure
 * reports, events and the status, whose conditions only {@link SearchConditions} makes. Pure: nothing
 * here reads or writes the cluster, so every plan is testable without an API server.
 */
public final class SearchPlanner {
    private final MemberPods memberPods;
    private final ExportPods exportPods;
    private final Backoff backoff;

    public SearchPlanner(OperatorConfig.Settings config) {
        this.memberPods = new MemberPods(config);
        this.exportPods = new ExportPods(config);
        this.backoff = config.backoff();
    }

    public SearchPlan plan(ObservedSearch seen, Instant now) {
        if (!seen.problems().isEmpty()) {
            return paused(seen, now);
        }
        PbtNasSearch search = seen.search();
        Decision decision = Engine.decide(seen.spec(), seen.status(), seen.results());
        MemberPodPlan pods = MemberPodPlan.of(seen.name(), seen.spec().parallelism(), seen.spec().suspended(),
                seen.memberPods(), decision.actions(), now, backoff::forRetry);
        List<Pod> delete = new ArrayList<>(pods.delete());
        // Only what the persisted status (seen.status(), not the one about to be patched) already records.
        delete.addAll(FinishedPods.toDelete(seen.status(), seen.memberPods()));
        List<Pod> create = pods.create().stream().map(t -> memberPods.build(search, seen.spec(), t)).toList();
        ExportDecision.Result export = ExportDecision.decide(seen.name(), decision.status(), seen.status(),
                seen.exportPods(), seen.spec().failurePolicy().maxRetries(), now, backoff::forRetry);
        Optional<SearchPlan.ExportStart> start = export.create().isPresent()
                ? Optional.of(new SearchPlan.ExportStart(ExportInput.configMap(search, seen.spec(), decision.status()),
                        exportPods.build(search, seen.spec(), export.create().getAsInt())))
                : Optional.empty();
        SearchStatus next = finish(decision.status(), seen.status(), seen.observedGeneration(), now, export.fact(),
                seen.stuck(), seen.spec().suspended(), KueueLabels.queue(search).orElse(null),
                PodObserver.queued(seen.memberPods()), bucketReport(seen), credentials(seen));
        return new SearchPlan(FailureReports.of(seen.memberPods()), delete, create, start, export.succeeded(),
                Announcements.of(seen.status(), next), next, earliest(pods.retryIn(), export.retryIn()));
    }

    /**
     * The engine's status as the API gets it: every condition stamped (observedGeneration, transition
     * time), and the operator's facts added: Failed, Exported ({@code export}; null leaves it out), Stuck,
     * Queued and Suspended.
     */
    static SearchStatus finish(SearchStatus engine, SearchStatus persisted, long observedGeneration, Instant now,
            ExportDecision.Fact export, List<StuckPod> stuck, boolean suspended) {
        return finish(engine, persisted, observedGeneration, now, export, stuck, suspended, null, 0);
    }

    static SearchStatus finish(SearchStatus engine, SearchStatus persisted, long observedGeneration, Instant now,
            ExportDecision.Fact export, List<StuckPod> stuck, boolean suspended, String localQueue, int queued) {
        return finish(engine, persisted, observedGeneration, now, export, stuck, suspended, localQueue, queued,
                PodObserver.BucketReport.NONE, null);
    }

    /**
     * As above, with Queued ({@code queued} member pods wait for Kueue's admission in {@code localQueue}) and
     * StorageUnavailable ({@code bucket}; {@code credentials} says where the bucket's keys come from).
     */
    static SearchStatus finish(SearchStatus engine, SearchStatus persisted, long observedGeneration, Instant now,
            ExportDecision.Fact export, List<StuckPod> stuck, boolean suspended, String localQueue, int queued,
            PodObserver.BucketReport bucket, String credentials) {
        SearchConditions conditions = SearchConditions.restamping(engine, persisted)
                .failed(engine.phase(), engine.message());
        if (export != null) {
            conditions.exported(export.reason(), export.message());
        }
        return conditions.stuck(stuck).queued(localQueue, queued).suspended(suspended, engine.phase())
                .storage(bucket.unreachable(), credentials, bucket.uploaded())
                .applyTo(engine, observedGeneration, now).withObservedGeneration(observedGeneration);
    }

    /**
     * A search whose spec the operator cannot run is paused, not failed: no pod is created or deleted
     * (running steps finish and are read once the spec is fixed); the phase, members and best stay as
     * they were, condition Paused says why, and fixing the spec resumes from this status.
     */
    SearchPlan paused(ObservedSearch seen, Instant now) {
        String why = String.join("; ", seen.problems());
        SearchStatus base = seen.status() == null ? SearchStatus.EMPTY : seen.status();
        SearchStatus paused = SearchConditions.keeping(base, seen.status()).paused(why)
                .applyTo(base, seen.observedGeneration(), now).withObservedGeneration(seen.observedGeneration())
                .withMessage("paused, invalid spec (fix it to resume; running pods go on): " + why);
        List<SearchEvent> events = paused.equals(seen.status()) ? List.of()
                : List.of(SearchEvent.warning(SearchEvent.INVALID_SPEC, why));
        return SearchPlan.statusOnly(paused, events);
    }

    /**
     * A refused pod: condition PodCreationFailed with the server's message, a Warning event once per
     * change of message, and a retry after as long as the refusal has lasted (so waits double), within
     * the backoff's bounds. The phase is untouched: waiting, not failed.
     */
    public RefusalPlan refused(PbtNasSearch search, Refusal refusal, Instant now) {
        SearchStatus old = search.getStatus();
        String type = ConditionType.POD_CREATION_FAILED.code();
        Duration lasted = old == null ? Duration.ZERO : old.condition(type)
                .filter(c -> c.isTrue() && c.lastTransitionTime() != null)
                .map(c -> Duration.between(Instant.parse(c.lastTransitionTime()), now)).orElse(Duration.ZERO);
        SearchStatus next = SearchConditions.keeping(old, old).podCreationFailed(refusal.reason(), refusal.message())
                .applyTo(old == null ? SearchStatus.EMPTY : old, ObservedSearch.generation(search), now);
        String message = refusal.message();
        boolean sameMessage = old != null && old.condition(type).map(Condition::message)
                .filter(message::equals).isPresent();
        return new RefusalPlan(next, sameMessage ? Optional.empty()
                : Optional.of(SearchEvent.warning(SearchEvent.POD_CREATION_FAILED, message)), backoff.after(lasted));
    }

    /** On a bucket, what the member pods say of it; on a volume, nothing. */
    private static PodObserver.BucketReport bucketReport(ObservedSearch seen) {
        return onBucket(seen) ? PodObserver.bucket(seen.memberPods()) : PodObserver.BucketReport.NONE;
    }

    private static String credentials(ObservedSearch seen) {
        return onBucket(seen) ? seen.spec().storage().s3().credentialsDescription() : null;
    }

    private static boolean onBucket(ObservedSearch seen) {
        return seen.spec().storage() != null && seen.spec().storage().s3() != null;
    }

    private static Duration earliest(Duration a, Duration b) {
        if (a == null) {
            return b;
        }
        return b == null || a.compareTo(b) <= 0 ? a : b;
    }
}
