package io.pbtnas.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigReaderTest {
    private static Map<String, String> base() {
        Map<String, String> env = new HashMap<>();
        env.put("PBTNAS_GENOME", "{\"cell0\":\"conv3x3\"}");
        env.put("PBTNAS_OUTPUT_DIR", "/tmp/a");
        return env;
    }

    @Test
    void flagsWinOverEnvironment() {
        Map<String, String> env = base();
        env.put("PBTNAS_SEED", "3");
        env.put("PBTNAS_EPOCH_TO", "4");
        TrainerConfig c = ConfigReader.read(new String[] {"--seed", "9", "--output-dir=/tmp/b", "--threads", "1"}, env);
        assertEquals(9, c.seed());
        assertEquals(Path.of("/tmp/b"), c.outputDir().orElseThrow());
        assertEquals(0, c.epochFrom());
        assertEquals(4, c.epochTo());
        assertEquals(1, c.threads());
        assertEquals(Mode.TRAIN, c.mode());
        assertFalse(c.terminationLogSet());
        assertEquals(ConfigReader.DEFAULT_TERMINATION_LOG, c.terminationLog());
        assertEquals("conv3x3", c.genome().orElseThrow().get("cell0"));
    }

    @Test
    void defaultsAndTaskArgs() {
        Map<String, String> env = base();
        env.put("PBTNAS_TASK_ARGS", "{\"batchSize\":64,\"learningRate\":0.01,\"dataDir\":\"/d\",\"threads\":3}");
        TrainerConfig c = ConfigReader.read(new String[0], env);
        assertEquals(1, c.epochTo());
        assertEquals(64, c.taskArgs().batchSize());
        assertEquals(0.01, c.taskArgs().learningRate());
        assertEquals("/d", c.taskArgs().dataDir().orElseThrow());
        assertEquals(3, c.threads());
        assertTrue(c.searchSpace().isEmpty());
    }

    @Test
    void evaluateModeNeedsOnlyACheckpoint() {
        TrainerConfig c = ConfigReader.read(new String[] {"--evaluate", "--input", "/x/model.safetensors"}, Map.of());
        assertEquals(Mode.EVALUATE, c.mode());
        assertTrue(c.genome().isEmpty());
        BadInputException e = assertThrows(BadInputException.class,
                () -> ConfigReader.read(new String[0], Map.of("PBTNAS_MODE", "evaluate")));
        assertTrue(e.getMessage().contains("PBTNAS_INPUT"), e.getMessage());
    }

    @Test
    void badInputsNameTheField() {
        assertMessage(new String[] {"--epoch-from", "2", "--epoch-to", "2"}, base(), "PBTNAS_EPOCH_TO");
        assertMessage(new String[] {"--seed", "x1"}, base(), "PBTNAS_SEED");
        assertMessage(new String[] {"--bogus", "1"}, base(), "unknown flag --bogus");
        assertMessage(new String[] {"--genome", "{\"cell0\":"}, base(), "PBTNAS_GENOME");
        assertMessage(new String[] {"--task", "cifar"}, base(), "unknown task 'cifar'");
        assertMessage(new String[] {"--task-args", "{\"batchsize\":3}"}, base(), "taskArgs.batchsize: unknown argument");
        assertMessage(new String[] {"--task-args", "{\"batchSize\":0}"}, base(), "taskArgs.batchSize");
        Map<String, String> noOut = base();
        noOut.remove("PBTNAS_OUTPUT_DIR");
        assertMessage(new String[0], noOut, "PBTNAS_OUTPUT_DIR");
        Map<String, String> noGenome = base();
        noGenome.remove("PBTNAS_GENOME");
        assertMessage(new String[0], noGenome, "PBTNAS_GENOME");
    }

    private static void assertMessage(String[] args, Map<String, String> env, String expected) {
        BadInputException e = assertThrows(BadInputException.class, () -> ConfigReader.read(args, env));
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' should mention " + expected);
    }

    /** The trainer reads every contract variable but the two that are for logs only, by TrainerContract's names. */
    @org.junit.jupiter.api.Test
    void theTrainerReadsTheContractsOwnNames() {
        java.util.Set<String> read = new java.util.HashSet<>(ConfigReader.INPUTS.values());
        java.util.Set<String> expected = new java.util.HashSet<>(io.pbtnas.core.contract.TrainerContract.VARIABLES);
        expected.removeAll(java.util.Set.of(io.pbtnas.core.contract.TrainerContract.MEMBER,
                io.pbtnas.core.contract.TrainerContract.GENERATION));
        org.junit.jupiter.api.Assertions.assertEquals(expected, read);
        org.junit.jupiter.api.Assertions.assertEquals(io.pbtnas.core.contract.TrainerContract.OUTPUT_DIR,
                ConfigReader.INPUTS.get("output-dir"));
    }
}
