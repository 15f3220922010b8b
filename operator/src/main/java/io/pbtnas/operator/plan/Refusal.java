package io.pbtnas.operator.plan;

import io.pbtnas.core.status.Reason;
import java.util.Locale;

/**
 * The API server refused to create an object of the search (a pod, or the ConfigMap the export pod
 * reads): quota, an invalid pod, an admission webhook, RBAC. A fact for condition PodCreationFailed. Pure.
 *
 * @param kind "pod" or the kind of the other object
 * @param code the HTTP status
 */
public record Refusal(String kind, String name, int code, String serverMessage) {
    /** Why, as a condition reason: quota first (a 403 that waits), then webhooks, invalid pods, RBAC. */
    public Reason reason() {
        String m = serverMessage == null ? "" : serverMessage.toLowerCase(Locale.ROOT);
        if (m.contains("exceeded quota") || m.contains("quota")) {
            return Reason.QUOTA_EXCEEDED;
        }
        if (m.contains("admission webhook") || m.contains("denied the request")) {
            return Reason.ADMISSION_DENIED;
        }
        if (code == 422) {
            return Reason.INVALID;
        }
        if (code == 403) {
            return Reason.FORBIDDEN;
        }
        return Reason.API_ERROR;
    }

    /** The condition's message: what was refused and what happens next. */
    public String message() {
        return (reason() == Reason.QUOTA_EXCEEDED ? "waiting for quota: " : "")
                + "the API server refused " + kind + " " + name + " (HTTP " + code + "): " + serverMessage
                + "; retried with backoff until it is created";
    }

    /** No pod can be created in a namespace being deleted (NamespaceLifecycle admission): waiting cannot help. */
    public boolean namespaceTerminating() {
        String m = serverMessage == null ? "" : serverMessage.toLowerCase(Locale.ROOT);
        return code == 403 && m.contains("being terminated");
    }
}
