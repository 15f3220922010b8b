package io.pbtnas.operator.pods;

import io.fabric8.kubernetes.api.model.Pod;
import io.pbtnas.core.engine.Action;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.operator.api.PbtNasSearch;
import io.pbtnas.operator.config.OperatorConfig;

/** The three pod builders of one configuration, for tests that compare their pods. */
record PodBuilders(MemberPods members, ExportPods exports, CleanupPods cleanups) {
    PodBuilders(OperatorConfig.Settings config) {
        this(new MemberPods(config), new ExportPods(config), new CleanupPods(config));
    }

    Pod memberPod(PbtNasSearch search, SearchSpec spec, Action.Train train) {
        return members.build(search, spec, train);
    }

    Pod exportPod(PbtNasSearch search, SearchSpec spec, int attempt) {
        return exports.build(search, spec, attempt);
    }

    Pod cleanupPod(PbtNasSearch search, SearchSpec spec) {
        return cleanups.build(search, spec);
    }
}
