package io.pbtnas.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.pbtnas.cli.report.HparamFormat;
import io.pbtnas.cli.support.Cli;
import io.pbtnas.cli.support.TickLabels;
import io.pbtnas.core.checkpoint.CheckpointMetadata;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.safetensors.Safetensors;
import io.pbtnas.core.space.Hyperparameter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Plain PBT in the local mode with the real DJL trainer (examples/pbt-hyperparameters.yaml: no
 * architecture genes, learningRate and weightDecay explored): every step trained with the member's
 * values (the checkpoint records what the trainer received), survivors keep theirs, children start
 * from their parent's values explored by the factors or a fresh draw, clamped to the prior.
 */
class HyperparameterSearchTest {
    static final Path DIR = Path.of("target", "hparams-work").toAbsolutePath();
    static JsonNode status;
    static Cli.Result run;
    /** The priors of examples/pbt-hyperparameters.yaml. */
    static final HparamFormat FORMAT = HparamFormat.of(List.of(Hyperparameter.logUniform("learningRate", 1e-4, 1e-2),
            Hyperparameter.uniform("weightDecay", 0, 1e-3)));

    @BeforeAll
    static void search() throws Exception {
        EndToEndTest.deleteRecursively(DIR);
        run = Cli.run("run", "-f", Path.of("..", "examples", "pbt-hyperparameters.yaml").toString(),
                "--dir", DIR.toString(), "--parallel", "2", "--threads", "1");
        assertEquals(0, run.code(), () -> "run failed:\n" + run.out() + run.err());
        status = Json.MAPPER.readTree(Files.readString(DIR.resolve("status.json")));
    }

    @Test
    void everyStepTrainedWithTheMembersValuesAndTheCheckpointRecordsThem() throws Exception {
        assertEquals("Complete", status.get("phase").asText());
        for (JsonNode m : status.get("members")) {
            JsonNode hp = m.get("hparams");
            assertEquals(3, hp.size(), "a value object per step: " + m);
            for (int k = 0; k < 3; k++) {
                double lr = hp.get(k).get("learningRate").asDouble();
                double wd = hp.get(k).get("weightDecay").asDouble();
                assertTrue(lr >= 1e-4 && lr <= 1e-2 && wd >= 0 && wd <= 1e-3, "within the priors: " + hp.get(k));
                Path model = DIR.resolve("members/" + m.get("id").asInt() + "/gen-" + k + "/attempt-"
                        + m.get("checkpointAttempts").get(k).asInt() + "/model.safetensors");
                Map<String, String> meta = Safetensors.readMetadata(model);
                assertEquals(hp.get(k), Json.MAPPER.readTree(meta.get(CheckpointMetadata.HPARAMS)),
                        "the trainer received the status's values: " + model);
                assertTrue(meta.get("pbtnas.optimizer").startsWith("adamw(lr=" + lr + ","), meta.toString());
            }
        }
    }

    @Test
    void survivorsKeepTheirValuesAndChildrenExploreTheirParents() {
        int children = 0;
        int perturbed = 0;
        for (JsonNode m : status.get("members")) {
            for (int k = 1; k < 3; k++) {
                JsonNode now = m.get("hparams").get(k);
                boolean replaced = false;
                for (JsonNode r : m.get("replacedAt")) {
                    replaced |= r.asInt() == k;
                }
                if (!replaced) {
                    assertEquals(m.get("hparams").get(k - 1), now, "a survivor keeps its values: " + m);
                    continue;
                }
                children++;
                int parent = -1;
                for (JsonNode e : m.get("lineage")) {
                    if (e.get("generation").asInt() == k) {
                        parent = e.get("parent").asInt();
                    }
                }
                JsonNode from = status.get("members").get(parent).get("hparams").get(k - 1);
                double lr = from.get("learningRate").asDouble();
                double child = now.get("learningRate").asDouble();
                if (close(child, Math.min(1e-2, lr * 1.2)) || close(child, Math.max(1e-4, lr * 0.8))) {
                    perturbed++;
                }
            }
        }
        assertEquals(4, children, "2 replaced after each of generations 0 and 1");
        assertTrue(perturbed >= 1, "some child perturbed its parent's learning rate by 0.8 or 1.2: " + status);
    }

    @Test
    void theFinalTableAndTheReportShowEveryMembersValues() throws Exception {
        // pbtnas run's final table: a column per hyperparameter, learningRate (log-uniform) as 3.16e-3.
        List<String> lines = run.out().lines().toList();
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("member ")).findFirst().orElseThrow());
        assertTrue(lines.get(header).matches("member +score +replacements +learningRate +weightDecay +genome\\s*"),
                lines.get(header));
        for (JsonNode m : status.get("members")) {
            String row = lines.get(header + 1 + m.get("id").asInt());
            JsonNode last = m.get("hparams").get(2);
            String lr = FORMAT.format("learningRate", last.get("learningRate").asDouble());
            assertTrue(lr.matches("\\d(\\.\\d{1,2})?e-\\d"), lr);
            assertTrue(row.matches("[ *]" + m.get("id").asInt() + " .* " + Pattern.quote(lr) + " +"
                    + Pattern.quote(FORMAT.format("weightDecay", last.get("weightDecay").asDouble())) + " *"), row);
        }
        assertTrue(run.out().contains(", hyperparameters learningRate="), run.out());
        // report.html: the best network's values, a column each in the Population table, round ticks.
        String html = Files.readString(DIR.resolve("report.html"));
        assertTrue(html.contains("<table id=\"best-hparams\">"), "the best network's values");
        assertEquals(6 * 2, EndToEndTest.count(html, "<td class=\"num hparam\" data-hparam="), "a cell per member and "
                + "hyperparameter");
        for (String svg : List.of("<svg id=\"scores\"", "<svg class=\"hparam\" id=\"hparam-learningRate\"",
                "<svg class=\"hparam\" id=\"hparam-weightDecay\"")) {
            TickLabels.assertRound(TickLabels.labels(html, svg, "y-tick"),
                    "log".equals(TickLabels.scale(html, svg, "data-y-scale")));
        }
    }

    private static boolean close(double a, double b) {
        return Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));
    }
}
