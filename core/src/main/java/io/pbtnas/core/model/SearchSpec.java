package io.pbtnas.core.model;


import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.pbtnas.core.space.SearchSpace;

/**
 * The spec of a PbtNasSearch: the same YAML goes to kubectl and to the local mode. Fields are
 * null when omitted; {@link #withDefaults()} fills the paper's defaults.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SearchSpec(
        @JsonPropertyDescription("pbt-nas (default; the paper's method), mutation (SEARL-like baseline) or "
                + "random (random architectures, no replacement).")
        Strategy strategy,
        @Required @Min(1) @Max(SearchSpec.MAX_POPULATION)
        @JsonPropertyDescription("Number of members trained in parallel steps, at most 1024.")
        Integer population,
        @Required @Min(1)
        @JsonPropertyDescription("Number of synchronous steps (generations); the budget is generations × "
                + "epochsPerGeneration epochs per member.")
        Integer generations,
        @Min(1)
        @JsonPropertyDescription("Epochs each member trains per generation. Default 1.")
        Integer epochsPerGeneration,
        @JsonPropertyDescription("maximize (default) or minimize the trainer's score.")
        Objective objective,
        @JsonPropertyDescription("Seed of every random choice; the same seed gives the same decisions. Default 0.")
        Long seed,
        @JsonPropertyDescription("Replacement and parent-pool fractions.")
        Selection selection,
        @JsonPropertyDescription("Gene swapping and shrink-perturb settings.")
        Mixing mixing,
        @Required
        @JsonPropertyDescription("The genes: architecture choices and the tensor-name prefixes they own.")
        SearchSpace searchSpace,
        @JsonPropertyDescription("The trainer program, its task and pod settings.")
        TrainerSpec trainer,
        @JsonPropertyDescription("The shared checkpoint volume (Kubernetes only).")
        StorageSpec storage,
        @Min(1)
        @JsonPropertyDescription("Most members training at once. Default: the population.")
        Integer parallelism,
        @JsonPropertyDescription("Retries and what happens when a member keeps failing.")
        FailurePolicy failurePolicy,
        @JsonPropertyDescription("How children explore inherited hyperparameters (searchSpace.hyperparameters): "
                + "resample with resampleProbability, else multiply by one of perturbationFactors.")
        Explore explore,
        @JsonPropertyDescription("synchronous (default; the paper's generation barrier) or asynchronous (each member "
                + "is judged when it finishes a step, against the scores of that step known then; no GPU waits).")
        Schedule schedule,
        @JsonPropertyDescription("true: no new pods are created (running steps finish and are recorded); condition "
                + "Suspended says so; false resumes. The lever queueing systems such as Kueue use. Default false.")
        Boolean suspend) {

    /** The spec without suspend (not suspended). */
    public SearchSpec(Strategy strategy, Integer population, Integer generations, Integer epochsPerGeneration,
                      Objective objective, Long seed, Selection selection, Mixing mixing, SearchSpace searchSpace,
                      TrainerSpec trainer, StorageSpec storage, Integer parallelism, FailurePolicy failurePolicy,
                      Explore explore, Schedule schedule) {
        this(strategy, population, generations, epochsPerGeneration, objective, seed, selection, mixing, searchSpace,
                trainer, storage, parallelism, failurePolicy, explore, schedule, null);
    }

    /** The spec without explore and schedule (both default). */
    public SearchSpec(Strategy strategy, Integer population, Integer generations, Integer epochsPerGeneration,
                      Objective objective, Long seed, Selection selection, Mixing mixing, SearchSpace searchSpace,
                      TrainerSpec trainer, StorageSpec storage, Integer parallelism, FailurePolicy failurePolicy) {
        this(strategy, population, generations, epochsPerGeneration, objective, seed, selection, mixing, searchSpace,
                trainer, storage, parallelism, failurePolicy, null, null, null);
    }

    public static final int DEFAULT_EPOCHS_PER_GENERATION = 1;
    /**
     * The most members a search may have (the CRD's maximum and SpecValidator's). Everything per member
     * is kept in one status (a Kubernetes object, which etcd limits to about 1.5 MiB; the local status.json
     * and report.html, rewritten after every member's result), so its size grows with the population:
     * measured by core's StatusSizeBenchmark, 1024 members take 0.32 MB after one generation and 0.84 MB
     * after ten (0.41 and 1.6 MB with two hyperparameters); about 60 to 130 bytes per member and step
     * later on, so population × generations matters too. The paper's populations are 8 to 64.
     */
    public static final int MAX_POPULATION = 1024;
    public static final long DEFAULT_SEED = 0;

    /** A copy with every omitted field set to its default (population and generations stay as given). */
    public SearchSpec withDefaults() {
        return new SearchSpec(
                strategy == null ? Strategy.PBT_NAS : strategy,
                population,
                generations,
                epochsPerGeneration == null ? DEFAULT_EPOCHS_PER_GENERATION : epochsPerGeneration,
                objective == null ? Objective.MAXIMIZE : objective,
                seed == null ? DEFAULT_SEED : seed,
                (selection == null ? new Selection(null, null) : selection).withDefaults(),
                (mixing == null ? new Mixing(null, null, null, null, null) : mixing).withDefaults(),
                searchSpace,
                trainer,
                storage,
                parallelism == null ? population : parallelism,
                (failurePolicy == null ? new FailurePolicy(null, null) : failurePolicy).withDefaults(),
                (explore == null ? new Explore(null, null) : explore).withDefaults(),
                schedule == null ? Schedule.SYNCHRONOUS : schedule,
                suspend != null && suspend);
    }

    /** spec.suspend: create no new pods until it is false again. */
    public boolean suspended() {
        return Boolean.TRUE.equals(suspend);
    }

    /** A copy with another parallelism (drivers cap it to the machine), every other field kept. */
    public SearchSpec withParallelism(Integer parallelism) {
        return new SearchSpec(strategy, population, generations, epochsPerGeneration, objective, seed, selection,
                mixing, searchSpace, trainer, storage, parallelism, failurePolicy, explore, schedule, suspend);
    }
}
