package io.pbtnas.operator.apply;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pbtnas.operator.api.PbtNasSearch;
import io.pbtnas.operator.pods.PodLabels;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Creates and deletes the operator's pods. Pods are created through JOSDK's resource operations, which
 * put each created pod in the informer's temporary cache: the next reconcile sees it (a parallelism slot
 * taken, an attempt that exists) before the watch delivers it.
 */
final class PodWriter {
    private static final Logger LOG = Logger.getLogger(PodWriter.class);
    // Shared by all searches: bounds the concurrent pod writes one operator sends to the API server.
    private static final ExecutorService WRITERS = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "pbtnas-pod-writer");
        t.setDaemon(true);
        return t;
    });

    private final KubernetesClient client;
    private final SearchMetrics metrics;
    private final PendingWrites pending;

    PodWriter(KubernetesClient client, SearchMetrics metrics, PendingWrites pending) {
        this.client = client;
        this.metrics = metrics;
        this.pending = pending;
    }

    /**
     * A generation's pods are independent, so the reconcile does not wait for them: the first is created
     * here, so that a refusal (a quota, an invalid pod, a webhook; the same for every pod of the search)
     * is thrown as {@link PodCreationError} from this reconcile as before; the rest go to the writer pool,
     * a few at a time, and are in {@link PendingWrites} until the API server answers, so the next
     * reconcile counts them (parallelism) and does not plan them again. A background create that fails
     * reconciles the search again, which plans the missing pods anew and meets the refusal on its first.
     *
     * @return the pods created here, as the API server stored them (the first; Kueue's gate shows on it)
     */
    List<Pod> createAll(Context<PbtNasSearch> context, ResourceID search, List<Pod> pods, Runnable reconcileAgain) {
        if (pods.isEmpty()) {
            return List.of();
        }
        Pod first = create(context, pods.get(0));
        for (Pod pod : pods.subList(1, pods.size())) {
            pending.creating(search, pod);
            CompletableFuture.runAsync(() -> create(context, pod), WRITERS).whenComplete((ok, e) -> {
                pending.created(search, pod);
                if (e != null) {
                    LOG.infof("pod %s not created: %s", pod.getMetadata().getName(), e.getMessage());
                    reconcileAgain.run();
                }
            });
        }
        return first == null ? List.of() : List.of(first);
    }

    /**
     * Creates one pod and returns it as the API server stored it (admission webhooks applied; null when it
     * existed already); a refusal (quota, an invalid pod, a webhook) is thrown as {@link PodCreationError}.
     */
    Pod create(Context<PbtNasSearch> context, Pod pod) {
        try {
            Pod created = context.resourceOperations().create(pod);
            var labels = pod.getMetadata().getLabels();
            metrics.podStarted(pod.getMetadata().getNamespace(), labels.get(PodLabels.SEARCH));
            LOG.debugf("created pod %s", pod.getMetadata().getName());
            return created;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) { // 409: created before a restart, or the cache lagged; both fine
                throw new PodCreationError(pod.getMetadata().getName(), e);
            }
            return null;
        }
    }

    /**
     * Deletes pods in the background: the reconcile does not wait for them (a generation's finished pods
     * are about as many as its new ones). A delete sent already is not sent again while the cache still
     * shows the pod; one that fails is logged and the search reconciled again, which plans it anew.
     */
    void deleteAll(ResourceID search, List<Pod> pods, Runnable reconcileAgain) {
        for (Pod pod : pods) {
            if (!pending.deleting(search, pod)) {
                continue;
            }
            CompletableFuture.runAsync(() -> delete(pod), WRITERS).whenComplete((ok, e) -> {
                if (e != null) {
                    LOG.warnf("could not delete pod %s: %s", pod.getMetadata().getName(), e.getMessage());
                    pending.deleteFailed(search, pod);
                    reconcileAgain.run();
                }
            });
        }
    }

    void delete(Pod pod) {
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    /** Sets an annotation on a pod; best effort (the pod may be gone). */
    void annotate(Pod pod, String key, String value) {
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .edit(p -> {
                        if (p.getMetadata().getAnnotations() == null) {
                            p.getMetadata().setAnnotations(new java.util.HashMap<>());
                        }
                        p.getMetadata().getAnnotations().put(key, value);
                        return p;
                    });
        } catch (KubernetesClientException e) {
            LOG.debugf("could not annotate pod %s: %s", pod.getMetadata().getName(), e.getMessage());
        }
    }
}
