package io.pbtnas.operator;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.pbtnas.core.model.SearchStatus;

/** A status-only patch of a search: name, namespace and the status, nothing of the spec. */
final class StatusPatch {
    private StatusPatch() {}

    static PbtNasSearch of(PbtNasSearch search, SearchStatus status) {
        PbtNasSearch patch = new PbtNasSearch();
        patch.setMetadata(new ObjectMetaBuilder()
                .withName(search.getMetadata().getName())
                .withNamespace(search.getMetadata().getNamespace())
                .build());
        patch.setStatus(status);
        return patch;
    }
}
