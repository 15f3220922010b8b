package io.pbtnas.operator;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pbtnas.core.model.Condition;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.core.model.StorageSpec;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * The finalizer of a deleted search: stops its pods, then (with {@code storage.retention: delete}) runs
 * one pod that deletes its checkpoint directory. While it waits, condition {@code Cleanup} says on what;
 * it is bounded by {@code pbtnas.operator.cleanup-timeout} ({@link CleanupDecision}).
 */
final class SearchCleanup {
    static final String CONDITION = "Cleanup";
    static final String WAITING = "Waiting";
    static final String BLOCKED = "Blocked";
    private static final Logger LOG = Logger.getLogger(SearchCleanup.class);
    private static final long RECHECK_MILLIS = 1000;

    private final KubernetesClient client;
    private final PodFactory factory;
    private final PodWriter writer;
    private final SearchEvents events;
    private final Duration timeout;
    private final Clock clock;

    SearchCleanup(KubernetesClient client, PodFactory factory, PodWriter writer, SearchEvents events,
            Duration timeout, Clock clock) {
        this.client = client;
        this.factory = factory;
        this.writer = writer;
        this.events = events;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** The next step; {@link DeleteControl#defaultDelete()} once the search may go. */
    DeleteControl step(PbtNasSearch search, Context<PbtNasSearch> context) {
        String ns = search.getMetadata().getNamespace();
        String name = search.getMetadata().getName();
        List<Pod> pods = client.pods().inNamespace(ns).withLabel(PodLabels.SEARCH, name).list().getItems();
        Pod cleaner = pods.stream()
                .filter(p -> PodLabels.ROLE_CLEANUP.equals(p.getMetadata().getLabels().get(PodLabels.ROLE)))
                .findFirst().orElse(null);
        SearchSpec spec = search.getSpec().withDefaults();
        boolean deleteCheckpoints = spec.storage() != null && spec.storage().retention() == StorageSpec.Retention.DELETE;
        String subPath = SearchVolume.subPath(search);
        String deletion = search.getMetadata().getDeletionTimestamp();
        CleanupDecision next = CleanupDecision.decide(pods, cleaner, deleteCheckpoints, subPath,
                deletion == null ? null : Instant.parse(deletion), Instant.now(clock), timeout);

        if (next instanceof CleanupDecision.StopPods stop) {
            stop.undeleted().forEach(writer::delete);
            return recheck();
        }
        if (next instanceof CleanupDecision.Wait wait) {
            setCondition(search, cleaner != null && PodObserver.stuckReason(cleaner).isPresent() ? BLOCKED : WAITING,
                    wait.message());
            return recheck();
        }
        if (next instanceof CleanupDecision.StartCleaner) {
            try {
                writer.create(context, factory.cleanupPod(search, spec));
            } catch (PodCreationError e) {
                if (namespaceTerminating(e)) {
                    return release(search, CleanupDecision.cannotRun(subPath, e.serverMessage()));
                }
                setCondition(search, BLOCKED, "the API server refused cleaner pod " + e.pod() + ": " + e.serverMessage());
                return DeleteControl.noFinalizerRemoval().rescheduleAfter(5 * RECHECK_MILLIS);
            }
            return recheck();
        }
        return release(search, (CleanupDecision.Release) next);
    }

    private DeleteControl release(PbtNasSearch search, CleanupDecision.Release release) {
        if (release.message() != null) {
            if (release.checkpointsDeleted()) {
                events.normal(search, SearchEvents.CHECKPOINTS_DELETED, release.message());
            } else {
                events.warning(search, SearchEvents.CLEANUP_INCOMPLETE, release.message());
            }
        }
        if (release.cleaner() != null) {
            writer.delete(release.cleaner());
        }
        return DeleteControl.defaultDelete();
    }

    /** No pod can be created in a namespace being deleted (NamespaceLifecycle admission): waiting cannot help. */
    static boolean namespaceTerminating(PodCreationError e) {
        String m = Objects.requireNonNullElse(e.serverMessage(), "").toLowerCase(Locale.ROOT);
        return e.code() == 403 && m.contains("being terminated");
    }

    private void setCondition(PbtNasSearch search, String reason, String message) {
        SearchStatus old = search.getStatus();
        SearchStatus base = old == null ? new SearchStatus(null, null, null, null, null, null, null) : old;
        Condition now = new Condition(CONDITION, "False", reason, message, null, null);
        if (base.condition(CONDITION).map(c -> c.reason().equals(reason) && c.message().equals(message)).orElse(false)) {
            return;
        }
        List<Condition> conditions = new ArrayList<>();
        base.conditions().stream().filter(c -> !CONDITION.equals(c.type())).forEach(conditions::add);
        long generation = Objects.requireNonNullElse(search.getMetadata().getGeneration(), 0L);
        conditions.add(StatusConditions.stamp(now, old, generation, Instant.now(clock).toString()));
        try {
            client.resource(StatusPatch.of(search, base.withConditions(conditions))).patchStatus();
        } catch (KubernetesClientException e) {
            LOG.debugf("could not set condition %s on %s: %s", CONDITION, search.getMetadata().getName(), e.getMessage());
        }
    }

    private static DeleteControl recheck() {
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(RECHECK_MILLIS);
    }
}
