package io.pbtnas.operator.observe;

import io.fabric8.kubernetes.api.model.Pod;
import io.pbtnas.core.engine.MemberResult;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.core.status.StuckPod;
import io.pbtnas.core.validation.SpecValidator;
import io.pbtnas.operator.api.PbtNasSearch;
import io.pbtnas.operator.pods.PodLabels;
import java.util.List;
import java.util.Objects;

/**
 * What one reconcile sees of a search, from the informer cache: the resource, its spec (defaults filled)
 * and what is wrong with it, its persisted status, and its pods by role, the member pods read as results
 * and stuck pods. Pure.
 */
public record ObservedSearch(PbtNasSearch search, SearchSpec spec, List<String> problems, SearchStatus status,
        long observedGeneration, List<Pod> pods, List<Pod> memberPods, List<Pod> exportPods, List<MemberResult> results,
        List<StuckPod> stuck) {

    public static ObservedSearch of(PbtNasSearch search, List<Pod> pods) {
        List<Pod> members = withRole(pods, PodLabels.ROLE_MEMBER);
        return new ObservedSearch(search, search.getSpec().withDefaults(), problems(search.getSpec()),
                search.getStatus(), generation(search), List.copyOf(pods), members,
                withRole(pods, PodLabels.ROLE_EXPORT), PodObserver.results(members), PodObserver.stuck(members));
    }

    /** The spec's problems (core's SpecValidator, the one set of rules the webhook applies too). */
    static List<String> problems(SearchSpec spec) {
        return SpecValidator.problems(spec);
    }

    public static long generation(PbtNasSearch search) {
        return Objects.requireNonNullElse(search.getMetadata().getGeneration(), 0L);
    }

    public String name() {
        return search.getMetadata().getName();
    }

    public String namespace() {
        return search.getMetadata().getNamespace();
    }

    /** The pod that deletes the search's checkpoints, if it exists. */
    public Pod cleaner() {
        return withRole(pods, PodLabels.ROLE_CLEANUP).stream().findFirst().orElse(null);
    }

    private static List<Pod> withRole(List<Pod> pods, String role) {
        return pods.stream().filter(p -> role.equals(p.getMetadata().getLabels().get(PodLabels.ROLE))).toList();
    }
}
