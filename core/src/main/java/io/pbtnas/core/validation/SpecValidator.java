package io.pbtnas.core.validation;

import io.pbtnas.core.contract.TrainerContract;
import io.pbtnas.core.model.SearchRules;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.pod.Quantities;
import io.pbtnas.core.pod.StepTimeout;
import java.util.ArrayList;
import java.util.List;

/**
 * Every problem of a spec, each as "spec.field.path: what is wrong and how to fix it": the search's own
 * rules ({@link SearchRules}) and the trainer's (the contract's names, pod settings, step timeout, resource
 * quantities). Both drivers run a spec only when this finds nothing. Pure.
 */
public final class SpecValidator {
    private SpecValidator() {
    }

    /** Problems of {@code spec} after defaults are applied; empty when the spec is usable. */
    public static List<String> problems(SearchSpec raw) {
        List<String> out = new ArrayList<>(SearchRules.problems(raw));
        if (raw == null) {
            return out;
        }
        SearchSpec spec = raw.withDefaults();
        out.addAll(StorageRules.problems(spec.storage()));
        if (spec.trainer() != null) {
            out.addAll(TrainerContract.envProblems(spec.trainer().env(), "spec.trainer.env"));
            out.addAll(TrainerPodRules.problems(spec.trainer(), "spec.trainer"));
            String timeout = StepTimeout.problem(spec.trainer().stepTimeout());
            if (timeout != null) {
                out.add(timeout);
            }
            if (spec.trainer().resources() != null) {
                quantities(spec.trainer().resources().requests(), "spec.trainer.resources.requests", out);
                quantities(spec.trainer().resources().limits(), "spec.trainer.resources.limits", out);
            }
        }
        return out;
    }

    private static void quantities(java.util.Map<String, String> values, String field, List<String> out) {
        if (values == null) {
            return;
        }
        values.forEach((k, v) -> {
            if (!Quantities.isQuantity(v)) {
                out.add(field + "." + k + ": " + (v == null ? "nothing" : "'" + v + "'") + " is not a Kubernetes "
                        + "quantity; use a number with an optional suffix, e.g. '1', '500m', '4Gi'");
            }
        });
    }

    /** Throws IllegalArgumentException listing every problem. */
    public static SearchSpec requireValid(SearchSpec spec) {
        List<String> p = problems(spec);
        if (!p.isEmpty()) {
            throw new IllegalArgumentException("invalid PbtNasSearch spec:\n  " + String.join("\n  ", p));
        }
        return spec.withDefaults();
    }
}
