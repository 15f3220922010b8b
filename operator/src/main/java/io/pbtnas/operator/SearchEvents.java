package io.pbtnas.operator;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Kubernetes events on a search, for `kubectl describe`. Best effort: never fails a reconcile. */
public final class SearchEvents {
    public static final String GENERATION_COMPLETED = "GenerationCompleted";
    public static final String MEMBER_REPLACED = "MemberReplaced";
    public static final String POD_FAILED = "PodFailed";
    /** A member pod was evicted, preempted or lost with its node: retried without using a retry. */
    public static final String POD_DISRUPTED = "PodDisrupted";
    /** A member pod is pending for a reason someone must fix (condition Stuck names it). */
    public static final String POD_STUCK = "PodStuck";
    public static final String SEARCH_COMPLETED = "SearchCompleted";
    public static final String INVALID_SPEC = "InvalidSpec";
    public static final String CHECKPOINTS_DELETED = "CheckpointsDeleted";
    /** A deleted search was let go with its cleanup not done (the message says what is left, and where). */
    public static final String CLEANUP_INCOMPLETE = "CleanupIncomplete";
    public static final String BEST_EXPORTED = "BestExported";
    public static final String EXPORT_FAILED = "ExportFailed";

    private static final Logger LOG = Logger.getLogger(SearchEvents.class);
    private final KubernetesClient client;

    public SearchEvents(KubernetesClient client) {
        this.client = client;
    }

    public void normal(PbtNasSearch search, String reason, String message) {
        emit(search, "Normal", reason, message);
    }

    public void warning(PbtNasSearch search, String reason, String message) {
        emit(search, "Warning", reason, message);
    }

    private void emit(PbtNasSearch search, String type, String reason, String message) {
        String now = Instant.now().toString();
        var meta = search.getMetadata();
        var event = new EventBuilder()
                .withNewMetadata()
                    .withName(meta.getName() + "." + UUID.randomUUID().toString().substring(0, 13).replace("-", ""))
                    .withNamespace(meta.getNamespace())
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(search.getApiVersion())
                        .withKind(search.getKind()).withName(meta.getName()).withNamespace(meta.getNamespace())
                        .withUid(meta.getUid()).build())
                .withType(type).withReason(reason).withMessage(message)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .withNewSource().withComponent("pbtnas-operator").endSource()
                .build();
        try {
            client.v1().events().inNamespace(meta.getNamespace()).resource(event).create();
        } catch (KubernetesClientException e) {
            LOG.warnf("could not record event %s on %s/%s: %s", reason, meta.getNamespace(), meta.getName(), e.getMessage());
        }
        LOG.infof("%s/%s %s: %s", meta.getNamespace(), meta.getName(), reason, message);
    }
}
