package io.pbtnas.operator.apply;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pbtnas.operator.plan.Refusal;
import java.util.Optional;

/**
 * The API server refused to create one of the search's pods (or the export pod's ConfigMap). Thrown out
 * of a reconcile so that JOSDK's error-status handling ({@code updateErrorStatus}) plans the
 * {@code PodCreationFailed} condition and an event from its {@link Refusal}; retried with backoff, never
 * failed for it.
 */
public final class PodCreationError extends RuntimeException {
    private final transient Refusal refusal;

    public PodCreationError(String pod, KubernetesClientException cause) {
        this("pod", pod, cause);
    }

    /** Another object a pod needs (the export pod's ConfigMap), refused the same way. */
    public PodCreationError(String kind, String name, KubernetesClientException cause) {
        super("creating " + kind + " " + name + ": " + serverMessage(cause), cause);
        this.refusal = new Refusal(kind, name, cause.getCode(), serverMessage(cause));
    }

    public Refusal refusal() {
        return refusal;
    }

    /** The cause of a failed reconcile, if it was a refused pod. */
    public static Optional<PodCreationError> in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PodCreationError p) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static String serverMessage(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return e.getStatus().getMessage();
        }
        return e.getMessage();
    }
}
