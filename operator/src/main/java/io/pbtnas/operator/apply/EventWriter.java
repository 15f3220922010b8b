package io.pbtnas.operator.apply;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pbtnas.operator.api.PbtNasSearch;
import io.pbtnas.operator.plan.SearchEvent;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Records a plan's events on its search, for `kubectl describe`. Best effort: never fails a reconcile. */
public final class EventWriter {
    private static final Logger LOG = Logger.getLogger(EventWriter.class);
    private final KubernetesClient client;

    public EventWriter(KubernetesClient client) {
        this.client = client;
    }

    public void emit(PbtNasSearch search, SearchEvent event) {
        emit(search, event.warning() ? "Warning" : "Normal", event.reason(), event.message());
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
