package io.pbtnas.core.model;

import io.pbtnas.core.validation.SpecValidator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pbtnas.core.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class SearchSpecTest {
    public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public static final String SPEC = """
            strategy: pbt-nas
            population: 8
            generations: 6
            epochsPerGeneration: 1
            objective: maximize
            seed: 42
            selection: {replaceFraction: 0.25, parentFraction: 0.25}
            mixing: {layerSwapProbability: 0.25, shrink: 0.4, perturb: 0.1}
            searchSpace:
              genes:
                - {name: cell0, options: [conv3x3, conv5x5, sepconv3x3, dilconv3x3, maxpool, skip]}
                - {name: cell1, options: [conv3x3, conv5x5, sepconv3x3, dilconv3x3, maxpool, skip]}
            trainer:
              image: pbtnas/trainer:0.1.0
              task: fashion-mnist
              args: {batchSize: 128, learningRate: 0.001}
              resources: {limits: {nvidia.com/gpu: 1}}
            storage: {persistentVolumeClaim: {claimName: pbtnas-checkpoints}}
            parallelism: 8
            """;

    @Test
    void readsTheDesignExampleAndFillsDefaults() throws Exception {
        SearchSpec spec = YAML.readValue(SPEC, SearchSpec.class);
        assertEquals(Strategy.PBT_NAS, spec.strategy());
        assertEquals("cell1.", spec.searchSpace().genes().get(1).prefix());
        assertEquals(Map.of("nvidia.com/gpu", "1"), spec.trainer().resources().limits());
        assertEquals(128, spec.trainer().args().get("batchSize"));
        assertEquals("pbtnas-checkpoints", spec.storage().persistentVolumeClaim().claimName());
        assertEquals(List.of(), SpecValidator.problems(spec));
        SearchSpec d = spec.withDefaults();
        assertEquals(2, d.failurePolicy().maxRetries());
        assertEquals(FailurePolicy.OnExhausted.REPLACE, d.failurePolicy().onExhausted());
        assertEquals(false, d.mixing().selfMix());

        SearchSpec minimal = YAML.readValue("population: 4\ngenerations: 2\nsearchSpace: {genes: [{name: a, "
                + "options: [x, y]}]}\n", SearchSpec.class).withDefaults();
        assertEquals(new Selection(0.25, 0.25), minimal.selection());
        assertEquals(new Mixing(0.25, 0.4, 0.1, false, List.of()), minimal.mixing());
        assertEquals(Objective.MAXIMIZE, minimal.objective());
        assertEquals(4, minimal.parallelism());
        assertEquals(0L, minimal.seed());
        assertEquals(1, minimal.epochsPerGeneration());
        // Written back without nulls, in the user's vocabulary.
        String json = Json.write(YAML.readValue("population: 4\ngenerations: 2\nstrategy: random\n", SearchSpec.class));
        assertEquals("{\"strategy\":\"random\",\"population\":4,\"generations\":2}", json);
    }

    @Test
    void unknownFieldsAreErrors() {
        var e = assertThrows(UnrecognizedPropertyException.class, () -> YAML.readValue(
                "population: 4\ngenerations: 2\nmixing: {shrinkk: 0.4}\n", SearchSpec.class));
        assertTrue(e.getMessage().contains("shrinkk"), e.getMessage());
    }

    @Test
    void validatorNamesTheFieldAndTheFix() throws Exception {
        SearchSpec spec = YAML.readValue("""
                population: 0
                selection: {replaceFraction: 1.5}
                mixing: {layerSwapProbability: 2, shrink: -1, offGenerations: [7]}
                failurePolicy: {maxRetries: -1}
                searchSpace: {genes: [{name: a, options: []}]}
                """, SearchSpec.class);
        List<String> p = SpecValidator.problems(spec);
        assertTrue(p.contains("spec.population: must be >= 1, got 0"), p.toString());
        assertTrue(p.contains("spec.generations: required, the number of training steps (an integer >= 1)"), p.toString());
        assertTrue(p.contains("spec.selection.replaceFraction: must be in (0, 1), got 1.5"), p.toString());
        assertTrue(p.contains("spec.mixing.layerSwapProbability: must be in [0, 1], got 2.0"), p.toString());
        assertTrue(p.contains("spec.mixing.shrink: must be a finite number >= 0, got -1.0"), p.toString());
        assertTrue(p.contains("spec.failurePolicy.maxRetries: must be >= 0, got -1"), p.toString());
        assertTrue(p.contains("spec.searchSpace.genes[0].options: gene 'a' needs at least one option"), p.toString());
        String all = assertThrows(IllegalArgumentException.class, () -> SpecValidator.requireValid(spec)).getMessage();
        assertTrue(all.startsWith("invalid PbtNasSearch spec:"), all);
    }

    @Test
    void populationHasAnUpperBoundSharedWithTheCrd() throws Exception {
        SearchSpec huge = YAML.readValue("population: 100000\ngenerations: 2\nstrategy: random\n"
                + "searchSpace: {genes: [{name: a, options: [x]}]}\n", SearchSpec.class);
        List<String> p = SpecValidator.problems(huge);
        assertTrue(p.contains("spec.population: must be at most 1024, got 100000; the status keeps every member, "
                + "so split a larger search into several searches"), p.toString());
        SearchSpec largest = YAML.readValue("population: 1024\ngenerations: 2\nstrategy: random\n"
                + "searchSpace: {genes: [{name: a, options: [x]}]}\n", SearchSpec.class);
        assertEquals(List.of(), SpecValidator.problems(largest));
        // The CRD's maximum is the same constant (the annotation the schema is generated from).
        io.fabric8.generator.annotation.Max max = SearchSpec.class.getDeclaredField("population")
                .getAnnotation(io.fabric8.generator.annotation.Max.class);
        assertEquals(SearchSpec.MAX_POPULATION, (int) max.value());
    }
}
