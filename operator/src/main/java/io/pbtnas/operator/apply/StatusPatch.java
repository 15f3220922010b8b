package io.pbtnas.operator.apply;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.operator.api.PbtNasSearch;
import org.jboss.logging.Logger;

/**
 * The one way the operator writes a search's status: a status-only patch (name, namespace and the status,
 * nothing of the spec), sent as JOSDK's status patch of the primary resource, and only when it changed.
 */
public final class StatusPatch {
    private static final Logger LOG = Logger.getLogger(StatusPatch.class);

    private StatusPatch() {}

    public static PbtNasSearch of(PbtNasSearch search, SearchStatus status) {
        PbtNasSearch patch = new PbtNasSearch();
        patch.setMetadata(new ObjectMetaBuilder()
                .withName(search.getMetadata().getName())
                .withNamespace(search.getMetadata().getNamespace())
                .build());
        patch.setStatus(status);
        return patch;
    }

    /** After a reconcile: patch when {@code next} differs from the persisted status. */
    static UpdateControl<PbtNasSearch> control(PbtNasSearch search, SearchStatus next) {
        return next.equals(search.getStatus()) ? UpdateControl.noUpdate()
                : UpdateControl.patchStatus(of(search, next));
    }

    /** After a failed reconcile (JOSDK's error-status handling). */
    static ErrorStatusUpdateControl<PbtNasSearch> errorControl(PbtNasSearch search, SearchStatus next) {
        return ErrorStatusUpdateControl.patchStatus(of(search, next));
    }

    /**
     * From the finalizer, which JOSDK gives no status control: the same status patch of the primary,
     * sent now. Best effort: a search being deleted may already be gone.
     */
    static void now(Context<PbtNasSearch> context, PbtNasSearch search, SearchStatus next) {
        try {
            context.resourceOperations().serverSideApplyPrimaryStatus(of(search, next));
        } catch (KubernetesClientException e) {
            LOG.debugf("could not write the status of %s: %s", search.getMetadata().getName(), e.getMessage());
        }
    }
}
