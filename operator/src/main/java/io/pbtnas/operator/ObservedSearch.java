package io.pbtnas.operator;

import io.fabric8.kubernetes.api.model.Pod;
import io.pbtnas.core.engine.MemberResult;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.core.model.SpecValidator;
import java.util.List;
import java.util.Objects;

/**
 * What one reconcile sees of a search: its spec (defaults filled) and what is wrong with it, its status,
 * and its pods read as results and stuck pods. Pure.
 */
record ObservedSearch(SearchSpec spec, List<String> problems, SearchStatus status, long observedGeneration,
        List<Pod> memberPods, List<Pod> exportPods, List<MemberResult> results, List<PodObserver.StuckPod> stuck) {

    static ObservedSearch of(PbtNasSearch search, List<Pod> pods) {
        List<Pod> members = withRole(pods, PodLabels.ROLE_MEMBER);
        return new ObservedSearch(search.getSpec().withDefaults(), SpecValidator.problems(search.getSpec()),
                search.getStatus(), generation(search), members, withRole(pods, PodLabels.ROLE_EXPORT),
                PodObserver.results(members), PodObserver.stuck(members));
    }

    static long generation(PbtNasSearch search) {
        return Objects.requireNonNullElse(search.getMetadata().getGeneration(), 0L);
    }

    private static List<Pod> withRole(List<Pod> pods, String role) {
        return pods.stream().filter(p -> role.equals(p.getMetadata().getLabels().get(PodLabels.ROLE))).toList();
    }
}
