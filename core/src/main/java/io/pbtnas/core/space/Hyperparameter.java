package io.pbtnas.core.space;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A training hyperparameter explored beside the architecture (PBT's classic use): a name and
 * exactly one prior, {@code logUniform: [lo, hi]}, {@code uniform: [lo, hi]} or
 * {@code choice: [numbers]}. The trainer receives the member's current values in PBTNAS_HPARAMS.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "(has(self.logUniform) ? 1 : 0) + (has(self.uniform) ? 1 : 0) + (has(self.choice) ? 1 : 0) == 1",
        message = "spec.searchSpace.hyperparameters[]: give exactly one prior: logUniform, uniform or choice")
public record Hyperparameter(
        @Required
        @JsonPropertyDescription("Name passed to the trainer in PBTNAS_HPARAMS, e.g. learningRate. Unique, and not "
                + "also a key of trainer.args.")
        String name,
        @Size(min = 2, max = 2)
        @JsonPropertyDescription("[lo, hi] with 0 < lo < hi: drawn log-uniformly; explored by multiplying with a "
                + "perturbation factor, clamped to [lo, hi].")
        List<Double> logUniform,
        @Size(min = 2, max = 2)
        @JsonPropertyDescription("[lo, hi] with lo < hi: drawn uniformly; explored by multiplying with a "
                + "perturbation factor, clamped to [lo, hi].")
        List<Double> uniform,
        @SchemaFrom(type = ChoiceSchema.class) // numbers; integers stay integers (batchSize: 64, not 64.0)
        @JsonPropertyDescription("The numbers to choose from, e.g. [32, 64, 128]: drawn uniformly; explored by "
                + "moving to a neighbouring value in this order. Integers reach the trainer as integers.")
        List<Object> choice) {

    /** Only the CRD schema of {@code choice}: an array of numbers (typed, so CEL can see the field). */
    static final class ChoiceSchema extends ArrayList<Double> {
    }

    /** Which prior an entry uses. */
    public enum Prior { LOG_UNIFORM, UNIFORM, CHOICE }

    public Hyperparameter {
        logUniform = copy(logUniform);
        uniform = copy(uniform);
        choice = copy(choice);
    }

    public static Hyperparameter logUniform(String name, double lo, double hi) {
        return new Hyperparameter(name, List.of(lo, hi), null, null);
    }

    public static Hyperparameter uniform(String name, double lo, double hi) {
        return new Hyperparameter(name, null, List.of(lo, hi), null);
    }

    public static Hyperparameter choice(String name, List<?> values) {
        return new Hyperparameter(name, null, null, new ArrayList<>(values));
    }

    /** The prior of a valid entry (see {@link #problems}). */
    @JsonIgnore
    public Prior prior() {
        if (logUniform != null) {
            return Prior.LOG_UNIFORM;
        }
        return uniform != null ? Prior.UNIFORM : Prior.CHOICE;
    }

    /** Lower bound of a logUniform or uniform entry. */
    @JsonIgnore
    public double lo() {
        return range().get(0);
    }

    /** Upper bound of a logUniform or uniform entry. */
    @JsonIgnore
    public double hi() {
        return range().get(1);
    }

    private List<Double> range() {
        if (prior() == Prior.CHOICE) {
            throw new IllegalStateException("hyperparameter '" + name + "' is a choice and has no range");
        }
        return logUniform != null ? logUniform : uniform;
    }

    /** Every problem of this entry, each naming the field (under {@code at}) and the fix. */
    public List<String> problems(String at) {
        List<String> out = new ArrayList<>();
        if (name == null || name.isBlank()) {
            out.add(at + ".name: required, a non-empty hyperparameter name such as learningRate");
        }
        int priors = (logUniform != null ? 1 : 0) + (uniform != null ? 1 : 0) + (choice != null ? 1 : 0);
        if (priors != 1) {
            out.add(at + ": hyperparameter '" + name + "' must give exactly one prior (logUniform: [lo, hi], "
                    + "uniform: [lo, hi] or choice: [values]), got " + priors);
            return out;
        }
        switch (prior()) {
            case LOG_UNIFORM -> rangeProblems(at + ".logUniform", logUniform, true, out);
            case UNIFORM -> rangeProblems(at + ".uniform", uniform, false, out);
            case CHOICE -> choiceProblems(at + ".choice", out);
        }
        return out;
    }

    private void rangeProblems(String at, List<Double> range, boolean log, List<String> out) {
        if (range.size() != 2 || range.get(0) == null || range.get(1) == null) {
            out.add(at + ": hyperparameter '" + name + "' needs exactly two bounds [lo, hi], got " + range);
            return;
        }
        double lo = range.get(0);
        double hi = range.get(1);
        if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
            out.add(at + ": hyperparameter '" + name + "' needs finite bounds, got " + range);
        } else if (!(lo < hi)) {
            out.add(at + ": hyperparameter '" + name + "' needs lo < hi, got [" + lo + ", " + hi + "]; for a fixed "
                    + "value put it in trainer.args instead");
        } else if (log && lo <= 0) {
            out.add(at + ": hyperparameter '" + name + "' is log-uniform, so both bounds must be > 0, got [" + lo
                    + ", " + hi + "]; use uniform for a range that includes 0");
        }
    }

    private void choiceProblems(String at, List<String> out) {
        if (choice.isEmpty()) {
            out.add(at + ": hyperparameter '" + name + "' needs at least one value");
        }
        Set<Object> seen = new HashSet<>();
        for (int i = 0; i < choice.size(); i++) {
            Object v = choice.get(i);
            if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                out.add(at + "[" + i + "]: hyperparameter '" + name + "' values must be finite numbers, got " + v);
            } else if (!seen.add(v)) {
                out.add(at + "[" + i + "]: duplicate value " + v + " in hyperparameter '" + name + "'");
            }
        }
    }

    private static <T> List<T> copy(List<T> list) {
        return list == null ? null : Collections.unmodifiableList(new ArrayList<>(list));
    }
}
