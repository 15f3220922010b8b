package io.pbtnas.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pbtnas.core.checkpoint.CheckpointMetadata;
import io.pbtnas.core.checkpoint.InitDistribution;
import io.pbtnas.core.safetensors.Safetensors;
import io.pbtnas.core.safetensors.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end on real Fashion-MNIST: train, resume bit-exactly, evaluate. */
class TrainerEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void resumingFromACheckpointIsBitIdenticalToTrainingStraightThrough() throws Exception {
        Path straight = tmp.resolve("straight");
        Path first = tmp.resolve("first");
        Path resumed = tmp.resolve("resumed");
        TestSupport.Result a = TestSupport.run(TestSupport.env(straight, TestSupport.MIXED, 0, 2, null));
        assertEquals(0, a.exitCode(), a.stderr());
        assertEquals(0, TestSupport.run(TestSupport.env(first, TestSupport.MIXED, 0, 1, null)).exitCode());
        TestSupport.Result c = TestSupport.run(TestSupport.env(resumed, TestSupport.MIXED, 1, 2,
                first.resolve(TrainerRun.MODEL_FILE)));
        assertEquals(0, c.exitCode(), c.stderr());

        Map<String, Tensor> straightTensors = Safetensors.readAll(straight.resolve(TrainerRun.MODEL_FILE));
        Map<String, Tensor> resumedTensors = Safetensors.readAll(resumed.resolve(TrainerRun.MODEL_FILE));
        assertEquals(straightTensors.keySet(), resumedTensors.keySet());
        for (String name : straightTensors.keySet()) {
            assertEquals(straightTensors.get(name), resumedTensors.get(name), "tensor " + name + " differs");
        }
        // training did change the weights: epoch 1's checkpoint differs from epoch 2's
        Map<String, Tensor> afterOne = Safetensors.readAll(first.resolve(TrainerRun.MODEL_FILE));
        assertNotEquals(afterOne.get("cell5.conv3x3.conv.weight"), straightTensors.get("cell5.conv3x3.conv.weight"));
        assertEquals(List.of(8L), List.of(afterOne.get("optimizer/step/head.fc.bias").toLongs()[0]));
        assertEquals(16L, straightTensors.get("optimizer/step/head.fc.bias").toLongs()[0]);

        JsonNode ma = JSON.readTree(straight.resolve(TrainerRun.METRICS_FILE).toFile());
        JsonNode mc = JSON.readTree(resumed.resolve(TrainerRun.METRICS_FILE).toFile());
        assertEquals(ma.get("score").asDouble(), mc.get("score").asDouble());
        assertEquals(ma.get("trainLoss").asDouble(), mc.get("trainLoss").asDouble());
        assertEquals(2, ma.get("epoch").asInt());
        // better than the uniform guess (loss ln 10) after 16 small steps: it learned something
        assertTrue(ma.get("validationLoss").asDouble() < Math.log(10), "validation loss after 2 small epochs: " + ma);
        assertTrue(ma.has("testAccuracy") && ma.has("validationAccuracy") && ma.has("seconds"), ma.toString());
        assertEquals(Files.readString(straight.resolve(TrainerRun.METRICS_FILE)).trim(),
                Files.readString(tmp.resolve("straight.termination-log")).trim());
    }

    @Test
    void checkpointCarriesGenomeEpochAndAnInitForEveryFloatingTensor() throws Exception {
        Path out = tmp.resolve("out");
        TestSupport.Result r = TestSupport.run(TestSupport.env(out, TestSupport.MIXED, 0, 1, null));
        assertEquals(0, r.exitCode(), r.stderr());
        Path model = out.resolve(TrainerRun.MODEL_FILE);
        Map<String, String> meta = Safetensors.readMetadata(model);
        assertEquals("1", meta.get(CheckpointMetadata.EPOCH));
        assertEquals(TestSupport.MIXED.choices(),
                io.pbtnas.core.space.Genome.fromJson(meta.get(CheckpointMetadata.GENOME)).choices());
        Map<String, InitDistribution> init = InitDistribution.parseTable(meta.get(CheckpointMetadata.INIT));
        Map<String, Tensor> tensors = Safetensors.readAll(model);
        for (Map.Entry<String, Tensor> t : tensors.entrySet()) {
            if (t.getValue().dtype().isFloating()) {
                assertTrue(init.containsKey(t.getKey()), "no init recorded for " + t.getKey());
            }
            String param = CheckpointMetadata.parameterOf(t.getKey());
            assertTrue(param.matches("(stem|reduce[12]|head|cell[0-5])\\..*"), "stray tensor " + t.getKey());
        }
        assertEquals(new InitDistribution.Constant(1), init.get("cell0.sepconv3x3.bn.running_var"));
        assertTrue(init.get("cell3.conv5x5.conv.weight") instanceof InitDistribution.Normal);

        // progress lines are JSON objects with epoch, batch, batches, loss
        JsonNode progress = r.lines().stream().map(TrainerEndToEndTest::parse)
                .filter(n -> n.path("event").asText().equals("progress")).findFirst().orElseThrow();
        assertEquals(8, progress.get("batches").asInt());
        assertTrue(progress.get("loss").asDouble() > 0);

        // evaluate mode reproduces the score from the checkpoint alone
        Path evalOut = tmp.resolve("eval");
        TestSupport.Result e = TestSupport.run(Map.of("PBTNAS_TASK_ARGS", TestSupport.SMALL_ARGS,
                "PBTNAS_TERMINATION_LOG", tmp.resolve("eval-log").toString()),
                "--evaluate", "--input", model.toString(), "--output-dir", evalOut.toString());
        assertEquals(0, e.exitCode(), e.stderr());
        JsonNode trained = JSON.readTree(out.resolve(TrainerRun.METRICS_FILE).toFile());
        JsonNode evaluated = JSON.readTree(evalOut.resolve(TrainerRun.METRICS_FILE).toFile());
        assertEquals(trained.get("validationAccuracy").asDouble(), evaluated.get("validationAccuracy").asDouble());
        assertEquals(trained.get("testAccuracy").asDouble(), evaluated.get("testAccuracy").asDouble());
        assertEquals(1, evaluated.get("epoch").asInt());
        assertTrue(!Files.exists(evalOut.resolve(TrainerRun.MODEL_FILE)), "evaluate writes no checkpoint");
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("stdout line is not JSON: " + line, e);
        }
    }
}
