package io.pbtnas.core.model;

import io.pbtnas.core.validation.SpecValidator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.space.Hyperparameter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** spec.searchSpace.hyperparameters, spec.explore and spec.schedule (DESIGN additions §3, §4). */
class ExploreSpecTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    static final String SPEC = """
            population: 8
            generations: 6
            schedule: asynchronous
            searchSpace:
              genes:
                - {name: cell0, options: [conv3x3, skip]}
              hyperparameters:
                - {name: learningRate, logUniform: [1.0e-4, 1.0e-2]}
                - {name: weightDecay, uniform: [0.0, 1.0e-3]}
                - {name: batchSize, choice: [32, 64, 128]}
            explore: {resampleProbability: 0.25, perturbationFactors: [0.8, 1.2]}
            trainer: {task: fashion-mnist, args: {epochsWarmup: 1}}
            """;

    static SearchSpec read(String yaml) throws Exception {
        return YAML.readValue(yaml, SearchSpec.class);
    }

    @Test
    void readsTheDesignExampleAndRoundTrips() throws Exception {
        SearchSpec spec = read(SPEC);
        assertEquals(List.of(), SpecValidator.problems(spec));
        assertEquals(Schedule.ASYNCHRONOUS, spec.schedule());
        List<Hyperparameter> hs = spec.searchSpace().hyperparameters();
        assertEquals(List.of("learningRate", "weightDecay", "batchSize"), hs.stream().map(Hyperparameter::name).toList());
        assertEquals(List.of(32, 64, 128), hs.get(2).choice());
        assertEquals(0.0, hs.get(1).lo());
        SearchSpec back = Json.MAPPER.readValue(Json.write(spec), SearchSpec.class);
        assertEquals(spec, back);
        SearchSpec d = spec.withDefaults();
        assertEquals(d, Json.MAPPER.readValue(Json.write(d), SearchSpec.class), "the effective spec round-trips");
        assertTrue(Json.write(d).contains("\"explore\":{\"resampleProbability\":0.25,\"perturbationFactors\":[0.8,1.2]},"
                + "\"schedule\":\"asynchronous\""), Json.write(d));
    }

    @Test
    void defaultsAreTheSynchronousPaperScheduleAndRayTunesExplore() throws Exception {
        SearchSpec d = read("population: 4\ngenerations: 2\nsearchSpace: {genes: [{name: a, options: [x, y]}]}\n")
                .withDefaults();
        assertEquals(Schedule.SYNCHRONOUS, d.schedule());
        assertEquals(new Explore(0.25, List.of(0.8, 1.2)), d.explore());
        assertEquals(List.of(), d.searchSpace().hyperparameters());
        // Partial explore keeps what was given.
        SearchSpec p = read("population: 4\ngenerations: 2\nexplore: {resampleProbability: 0}\n"
                + "searchSpace: {genes: [{name: a, options: [x, y]}]}\n").withDefaults();
        assertEquals(new Explore(0.0, List.of(0.8, 1.2)), p.explore());
        // The old constructor and withParallelism keep the new fields as they were.
        SearchSpec async = read(SPEC);
        assertEquals(async.explore(), async.withParallelism(3).explore());
        assertEquals(Schedule.ASYNCHRONOUS, async.withParallelism(3).schedule());
        assertEquals(3, async.withParallelism(3).parallelism());
        // A spec without the new fields is written exactly as before.
        assertEquals("{\"population\":4,\"generations\":2}", Json.write(read("population: 4\ngenerations: 2\n")));
    }

    @Test
    void exploreSettingsAreValidatedWithFieldNames() throws Exception {
        List<String> p = SpecValidator.problems(read("""
                population: 8
                generations: 3
                explore: {resampleProbability: 1.5, perturbationFactors: [0.8, 0, -1.2]}
                searchSpace: {genes: [{name: a, options: [x, y]}]}
                """));
        assertTrue(p.contains("spec.explore.resampleProbability: must be in [0, 1], got 1.5"), p.toString());
        assertTrue(p.contains("spec.explore.perturbationFactors[1]: must be a finite number > 0, got 0.0"), p.toString());
        assertTrue(p.contains("spec.explore.perturbationFactors[2]: must be a finite number > 0, got -1.2"),
                p.toString());
        assertEquals(3, p.size(), p.toString());
        List<String> empty = SpecValidator.problems(read("population: 8\ngenerations: 3\n"
                + "explore: {resampleProbability: -0.1, perturbationFactors: []}\n"
                + "searchSpace: {genes: [{name: a, options: [x, y]}]}\n"));
        assertEquals(List.of("spec.explore.resampleProbability: must be in [0, 1], got -0.1",
                "spec.explore.perturbationFactors: must list at least one factor, e.g. [0.8, 1.2]"), empty);
        String unknown = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> read("population: 8\ngenerations: 3\nschedule: async\n")).getMessage();
        assertTrue(unknown.contains("async"), unknown);
    }

    @Test
    void aHyperparameterAlsoInTrainerArgsConflicts() throws Exception {
        List<String> p = SpecValidator.problems(read("""
                population: 8
                generations: 3
                searchSpace:
                  genes: []
                  hyperparameters: [{name: batchSize, choice: [32, 64]}, {name: learningRate, uniform: [0.001, 0.01]}]
                trainer: {args: {learningRate: 0.001, width: 16}}
                """));
        assertEquals(List.of("spec.searchSpace.hyperparameters[1].name: 'learningRate' is also set in "
                + "spec.trainer.args; remove it from one of them (the search explores it, args fix it)"), p);
    }

    @Test
    void plainPbtIsValidButAnEmptySpaceIsNot() throws Exception {
        assertEquals(List.of(), SpecValidator.problems(read("""
                population: 8
                generations: 3
                searchSpace: {hyperparameters: [{name: learningRate, logUniform: [1.0e-4, 1.0e-2]}]}
                """)));
        assertEquals(List.of("spec.searchSpace.genes: must list at least one gene, or give hyperparameters "
                + "(plain PBT)"), SpecValidator.problems(read("population: 8\ngenerations: 3\n"
                + "searchSpace: {genes: [], hyperparameters: []}\n")));
    }
}
