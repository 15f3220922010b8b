package io.pbtnas.core.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.core.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class HyperparameterTest {
    static final Gene CELL = new Gene("cell0", List.of("conv3x3", "skip"));

    static List<String> problems(Hyperparameter... hs) {
        return new SearchSpace(List.of(CELL), List.of(hs)).problems("spec.searchSpace");
    }

    @Test
    void theThreePriorsRoundTripThroughJson() {
        SearchSpace s = new SearchSpace(List.of(CELL), List.of(Hyperparameter.logUniform("learningRate", 1e-4, 1e-2),
                Hyperparameter.uniform("weightDecay", 0, 1e-3), Hyperparameter.choice("batchSize", List.of(32, 64, 128)),
                Hyperparameter.choice("dropout", List.of(0.0, 0.1, 0.25))));
        assertEquals(List.of(), s.problems("spec.searchSpace"));
        String json = s.toJson();
        assertTrue(json.contains("{\"name\":\"learningRate\",\"logUniform\":[1.0E-4,0.01]}"), json);
        assertTrue(json.contains("{\"name\":\"batchSize\",\"choice\":[32,64,128]}"), json);
        SearchSpace back = SearchSpace.fromJson(json);
        assertEquals(s, back);
        assertEquals(Hyperparameter.Prior.LOG_UNIFORM, back.hyperparameters().get(0).prior());
        assertEquals(Hyperparameter.Prior.UNIFORM, back.hyperparameters().get(1).prior());
        assertEquals(Hyperparameter.Prior.CHOICE, back.hyperparameters().get(2).prior());
        assertEquals(1e-4, back.hyperparameters().get(0).lo());
        assertEquals(1e-3, back.hyperparameters().get(1).hi());
    }

    @Test
    void aGenesOnlySpaceKeepsItsContractJson() {
        // PBTNAS_SEARCH_SPACE of an architecture-only search is exactly what trainers read before.
        assertEquals("{\"genes\":[{\"name\":\"cell0\",\"prefix\":\"cell0.\",\"options\":[\"conv3x3\",\"skip\"]}]}",
                new SearchSpace(List.of(CELL)).toJson());
    }

    @Test
    void plainPbtNeedsNoGenesButASpaceNeedsSomething() {
        SearchSpace plain = new SearchSpace(List.of(), List.of(Hyperparameter.uniform("momentum", 0.8, 0.99)));
        assertEquals(List.of(), plain.problems("spec.searchSpace"));
        assertEquals(List.of("spec.searchSpace.genes: must list at least one gene, or give hyperparameters "
                + "(plain PBT)"), new SearchSpace(List.of(), List.of()).problems("spec.searchSpace"));
    }

    @Test
    void badRangesAreNamedWithTheFix() {
        List<String> p = problems(new Hyperparameter("a", List.of(), null, null),
                Hyperparameter.uniform("b", 0.5, 0.5), Hyperparameter.uniform("c", 2, 1),
                Hyperparameter.logUniform("d", 0, 1), Hyperparameter.logUniform("e", -1e-3, 1e-2),
                new Hyperparameter("f", null, List.of(0.1, Double.POSITIVE_INFINITY), null));
        assertTrue(p.contains("spec.searchSpace.hyperparameters[0].logUniform: hyperparameter 'a' needs exactly two "
                + "bounds [lo, hi], got []"), p.toString());
        assertTrue(p.contains("spec.searchSpace.hyperparameters[1].uniform: hyperparameter 'b' needs lo < hi, got "
                + "[0.5, 0.5]; for a fixed value put it in trainer.args instead"), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.startsWith("spec.searchSpace.hyperparameters[2].uniform: "
                + "hyperparameter 'c' needs lo < hi")), p.toString());
        assertTrue(p.contains("spec.searchSpace.hyperparameters[3].logUniform: hyperparameter 'd' is log-uniform, "
                + "so both bounds must be > 0, got [0.0, 1.0]; use uniform for a range that includes 0"), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.startsWith("spec.searchSpace.hyperparameters[4].logUniform: "
                + "hyperparameter 'e' is log-uniform")), p.toString());
        assertTrue(p.contains("spec.searchSpace.hyperparameters[5].uniform: hyperparameter 'f' needs finite bounds, "
                + "got [0.1, Infinity]"), p.toString());
        assertEquals(6, p.size(), p.toString());
    }

    @Test
    void exactlyOnePriorPerEntryAndUniqueNames() {
        List<String> p = problems(new Hyperparameter("lr", List.of(1e-4, 1e-2), List.of(0.0, 1.0), null),
                new Hyperparameter("wd", null, null, null), Hyperparameter.uniform("x", 0, 1),
                Hyperparameter.choice("x", List.of(1, 2)), Hyperparameter.uniform("cell0", 0, 1),
                new Hyperparameter(" ", null, List.of(0.0, 1.0), null));
        assertTrue(p.contains("spec.searchSpace.hyperparameters[0]: hyperparameter 'lr' must give exactly one prior "
                + "(logUniform: [lo, hi], uniform: [lo, hi] or choice: [values]), got 2"), p.toString());
        assertTrue(p.contains("spec.searchSpace.hyperparameters[1]: hyperparameter 'wd' must give exactly one prior "
                + "(logUniform: [lo, hi], uniform: [lo, hi] or choice: [values]), got 0"), p.toString());
        assertTrue(p.contains("spec.searchSpace.hyperparameters[3].name: duplicate hyperparameter name 'x'; names "
                + "must be unique"), p.toString());
        assertTrue(p.contains("spec.searchSpace.hyperparameters[4].name: 'cell0' is also a gene name; give the "
                + "hyperparameter another name"), p.toString());
        assertTrue(p.contains("spec.searchSpace.hyperparameters[5].name: required, a non-empty hyperparameter name "
                + "such as learningRate"), p.toString());
        assertEquals(5, p.size(), p.toString());
    }

    @Test
    void choicesMustBeDistinctScalars() {
        List<String> p = problems(Hyperparameter.choice("a", List.of()), Hyperparameter.choice("b", List.of(32, 64, 32)),
                Hyperparameter.choice("c", List.of(1, "sgd")));
        assertTrue(p.contains("spec.searchSpace.hyperparameters[0].choice: hyperparameter 'a' needs at least one "
                + "value"), p.toString());
        assertTrue(p.contains("spec.searchSpace.hyperparameters[1].choice[2]: duplicate value 32 in hyperparameter "
                + "'b'"), p.toString());
        assertTrue(p.contains("spec.searchSpace.hyperparameters[2].choice[1]: hyperparameter 'c' values must be "
                + "finite numbers, got sgd"), p.toString());
        assertEquals(3, p.size(), p.toString());
    }

    @Test
    void unknownFieldsAndBadJsonAreErrors() {
        String e = assertThrows(IllegalArgumentException.class, () -> SearchSpace.fromJson(
                "{\"genes\":[],\"hyperparameters\":[{\"name\":\"lr\",\"loguniform\":[1e-4,1e-2]}]}")).getMessage();
        assertTrue(e.contains("loguniform"), e);
        String invalid = assertThrows(IllegalArgumentException.class, () -> SearchSpace.fromJson(
                "{\"genes\":[],\"hyperparameters\":[{\"name\":\"lr\",\"uniform\":[1,0]}]}")).getMessage();
        assertTrue(invalid.contains("searchSpace.hyperparameters[0].uniform: hyperparameter 'lr' needs lo < hi"),
                invalid);
        assertFalse(Json.write(Hyperparameter.uniform("x", 0, 1)).contains("prior"), "derived accessors stay out");
    }
}
