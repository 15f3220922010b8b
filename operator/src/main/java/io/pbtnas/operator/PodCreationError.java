package io.pbtnas.operator;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pbtnas.core.model.Condition;
import io.pbtnas.core.model.SearchStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The API server refused to create one of the search's pods (quota, invalid pod, admission webhook,
 * RBAC). Thrown out of a reconcile so JOSDK's error-status handling ({@code updateErrorStatus}) turns
 * it into the {@code PodCreationFailed} condition and an event; the search is retried with backoff,
 * never failed for it. The decisions here are pure.
 */
public final class PodCreationError extends RuntimeException {
    public static final String CONDITION = "PodCreationFailed";
    public static final String QUOTA_EXCEEDED = "QuotaExceeded";
    public static final String ADMISSION_DENIED = "AdmissionDenied";
    public static final String INVALID = "Invalid";
    public static final String FORBIDDEN = "Forbidden";
    public static final String API_ERROR = "ApiError";

    private final String kind;
    private final String pod;
    private final int code;
    private final String serverMessage;

    public PodCreationError(String pod, KubernetesClientException cause) {
        this("pod", pod, cause);
    }

    /** Another object a pod needs (the export pod's ConfigMap), refused the same way. */
    public PodCreationError(String kind, String name, KubernetesClientException cause) {
        super("creating " + kind + " " + name + ": " + serverMessage(cause), cause);
        this.kind = kind;
        this.pod = name;
        this.code = cause.getCode();
        this.serverMessage = serverMessage(cause);
    }

    public String pod() {
        return pod;
    }

    public int code() {
        return code;
    }

    public String serverMessage() {
        return serverMessage;
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

    /** Why, as a condition reason: quota first (a 403 that waits), then webhooks, invalid pods, RBAC. */
    public static String reason(int code, String message) {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (m.contains("exceeded quota") || m.contains("quota")) {
            return QUOTA_EXCEEDED;
        }
        if (m.contains("admission webhook") || m.contains("denied the request")) {
            return ADMISSION_DENIED;
        }
        if (code == 422) {
            return INVALID;
        }
        if (code == 403) {
            return FORBIDDEN;
        }
        return API_ERROR;
    }

    /**
     * The next wait: as long as the condition has already lasted (so waits double), between
     * {@code base} and {@code max}.
     */
    public static Duration retryIn(SearchStatus old, Instant now, Duration base, Duration max) {
        Duration lasted = old == null ? Duration.ZERO : old.condition(CONDITION)
                .filter(c -> "True".equals(c.status()) && c.lastTransitionTime() != null)
                .map(c -> Duration.between(Instant.parse(c.lastTransitionTime()), now)).orElse(Duration.ZERO);
        Duration d = lasted.compareTo(base) < 0 ? base : lasted;
        return d.compareTo(max) > 0 ? max : d;
    }

    /** {@code old} with the condition set (other conditions, phase and members unchanged). */
    public SearchStatus statusWith(SearchStatus old, long observedGeneration, String now) {
        SearchStatus base = old == null ? new SearchStatus(null, null, null, null, null, null, null) : old;
        String reason = reason(code, serverMessage);
        String message = (QUOTA_EXCEEDED.equals(reason) ? "waiting for quota: " : "")
                + "the API server refused " + kind + " " + pod + " (HTTP " + code + "): " + serverMessage
                + "; retried with backoff until it is created";
        List<Condition> out = new ArrayList<>();
        for (Condition c : base.conditions()) {
            if (!CONDITION.equals(c.type())) {
                out.add(c);
            }
        }
        out.add(StatusConditions.stamp(new Condition(CONDITION, "True", reason, message, observedGeneration, null),
                old, observedGeneration, now));
        return base.withConditions(out);
    }

    private static String serverMessage(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return e.getStatus().getMessage();
        }
        return e.getMessage();
    }
}
