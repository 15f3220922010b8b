package io.pbtnas.core.contract;

import io.pbtnas.core.engine.Action;
import io.pbtnas.core.engine.Seeds;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.validation.SpecValidator;
import io.pbtnas.core.model.TrainerSpec;
import io.pbtnas.core.space.Gene;
import io.pbtnas.core.space.Genome;
import io.pbtnas.core.space.SearchSpace;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerContractTest {
    static SearchSpec spec(String task, Map<String, String> env) {
        TrainerSpec trainer = new TrainerSpec("img", null, null, task, Map.of("batchSize", 64), env, null, null,
                null, null, null, null);
        return new SearchSpec(null, 8, 3, null, null, 5L, null, null,
                new SearchSpace(List.of(new Gene("cell0", List.of("conv3x3", "skip")))), trainer, null, null, null)
                .withDefaults();
    }

    static final Action.Train RESUMED = new Action.Train(3, 1, 0, 1, 2, new Genome(Map.of("cell0", "skip")),
            "members/3/gen-0/model.safetensors", null);

    @Test
    void aTrainingStepGetsEveryContractVariableIncludingMemberGenerationAndMode() {
        Map<String, String> env = TrainerContract.environment(
                TrainerContract.train(spec("fashion-mnist", null), RESUMED, r -> "/data/" + r, "/dev/termination-log"));
        assertEquals(Set.of("PBTNAS_MODE", "PBTNAS_SEARCH_SPACE", "PBTNAS_GENOME", "PBTNAS_INPUT", "PBTNAS_OUTPUT_DIR",
                "PBTNAS_EPOCH_FROM", "PBTNAS_EPOCH_TO", "PBTNAS_SEED", "PBTNAS_TASK", "PBTNAS_TASK_ARGS",
                "PBTNAS_TERMINATION_LOG", "PBTNAS_MEMBER", "PBTNAS_GENERATION"), env.keySet());
        assertEquals("train", env.get("PBTNAS_MODE"));
        assertEquals("3", env.get("PBTNAS_MEMBER"));
        assertEquals("1", env.get("PBTNAS_GENERATION"));
        assertEquals("/data/members/3/gen-0/model.safetensors", env.get("PBTNAS_INPUT"));
        assertEquals("/data/members/3/gen-1/attempt-0", env.get("PBTNAS_OUTPUT_DIR"), "the attempt's own folder");
        assertEquals("1", env.get("PBTNAS_EPOCH_FROM"));
        assertEquals("2", env.get("PBTNAS_EPOCH_TO"));
        assertEquals(Long.toString(Seeds.trainerSeed(5, 3, 1)), env.get("PBTNAS_SEED"));
        assertEquals("{\"batchSize\":64}", env.get("PBTNAS_TASK_ARGS"));
        assertFalse(env.containsKey("PBTNAS_HPARAMS"), "no hyperparameters in the search: unset, not {}");
    }

    @Test
    void unsetMeansUnsetAnOmittedTaskAndAFirstStepHaveNoVariable() {
        Action.Train first = new Action.Train(0, 0, 0, 0, 1, new Genome(Map.of("cell0", "skip")), null, null);
        Map<String, String> env = TrainerContract.environment(
                TrainerContract.train(spec(null, null), first, r -> "/data/" + r, "/dev/termination-log"));
        assertFalse(env.containsKey("PBTNAS_TASK"), "no PBTNAS_TASK=\"\": " + env);
        assertFalse(env.containsKey("PBTNAS_INPUT"), env.toString());
        env.values().forEach(v -> assertFalse(v.isEmpty(), "no empty values: " + env));
    }

    @Test
    void everyTrainingStepOfAHyperparameterSearchGetsTheMembersValuesAsAJsonObject() throws Exception {
        java.util.LinkedHashMap<String, Object> values = new java.util.LinkedHashMap<>();
        values.put("learningRate", 0.0025);
        values.put("batchSize", 64);
        Action.Train step = new Action.Train(3, 1, 0, 1, 2, new Genome(Map.of("cell0", "skip")),
                "members/3/gen-0/model.safetensors", null, values);
        Map<String, String> env = TrainerContract.environment(
                TrainerContract.train(spec("fashion-mnist", null), step, r -> "/data/" + r, "/dev/termination-log"));
        assertEquals(io.pbtnas.core.json.Json.MAPPER.readTree("{\"learningRate\":0.0025,\"batchSize\":64}"),
                io.pbtnas.core.json.Json.MAPPER.readTree(env.get("PBTNAS_HPARAMS")));
        assertEquals("{\"learningRate\":0.0025,\"batchSize\":64}", env.get("PBTNAS_HPARAMS"),
                "integers stay integers");
    }

    @Test
    void evaluateModeHasTheSameEpochAndSeedVariablesWithFromEqualTo() {
        TrainerContract.Step eval = new TrainerContract.Step(TrainerContract.Mode.EVALUATE, null, null, 4, 4, 0,
                null, "{\"cell0\":\"skip\"}", "/ck/model.safetensors", "/tmp/out", null, null, "/tmp/out/tl", null);
        Map<String, String> env = TrainerContract.environment(eval);
        assertEquals("evaluate", env.get("PBTNAS_MODE"));
        assertEquals("4", env.get("PBTNAS_EPOCH_FROM"));
        assertEquals("4", env.get("PBTNAS_EPOCH_TO"));
        assertEquals("0", env.get("PBTNAS_SEED"));
        assertFalse(env.containsKey("PBTNAS_MEMBER"), "unknown member: unset");
        assertThrows(IllegalArgumentException.class, () -> new TrainerContract.Step(TrainerContract.Mode.EVALUATE,
                null, null, 3, 4, 0, null, null, "/ck", "/out", null, null, "/tl", null));
    }

    @Test
    void aUserEnvVariableWithAContractNameIsRejectedNamingTheField() {
        List<String> p = SpecValidator.problems(spec("fashion-mnist", Map.of("PBTNAS_TASK", "x", "MY_FLAG", "1")));
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("spec.trainer.env.PBTNAS_TASK: is set by pbtnas"), p.get(0));
        assertTrue(SpecValidator.problems(spec("fashion-mnist", Map.of("PBTNAS_HPARAMS", "{}"))).get(0)
                .contains("spec.trainer.env.PBTNAS_HPARAMS"), "reserved for hyperparameters");
    }

    @Test
    void metricsMustHaveAFiniteScore() {
        assertEquals(0.5, TrainerOutput.score("{\"score\": 0.5}", "m"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainerOutput.score("{\"score\": \"NaN\"}",
                "metrics.json")).getMessage().startsWith("metrics.json has no finite numeric \"score\""));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainerOutput.score("", "its termination "
                + "message")).getMessage().contains("PBTNAS_TERMINATION_LOG"));
    }
}
