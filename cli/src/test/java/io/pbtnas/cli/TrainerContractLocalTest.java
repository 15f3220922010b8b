package io.pbtnas.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.pbtnas.cli.local.TrainerCommand;
import io.pbtnas.cli.support.Cli;
import io.pbtnas.core.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local driver and `pbtnas eval` speak the documented trainer contract, so a trainer written from
 * it alone (the FakeTrainer reads only the documented variables) works for both.
 */
class TrainerContractLocalTest {
    @TempDir
    static Path tmp;
    static Path work;

    @BeforeAll
    static void search() throws Exception {
        Path manifest = tmp.resolve("m.yaml");
        Files.writeString(manifest, ResumeTest.MANIFEST.replace("generations: 3", "generations: 2"));
        work = tmp.resolve("work");
        Cli.Result r = Cli.run("run", "-f", manifest.toString(), "--dir", work.toString(), "--parallel", "2", "-q",
                "--trainer-command", Cli.fakeTrainerCommand());
        assertEquals(0, r.code(), r.out() + r.err());
    }

    @Test
    void evalWorksWithATrainerWrittenFromTheContractAlone() throws Exception {
        Cli.Result r = Cli.run("eval", work.resolve("best").toString(), "--trainer-command", Cli.fakeTrainerCommand(),
                "--json");
        assertEquals(0, r.code(), r.out() + r.err());
        JsonNode metrics = Json.MAPPER.readTree(r.out());
        JsonNode best = Json.MAPPER.readTree(Files.readString(work.resolve("status.json"))).get("best");
        // Evaluating trains nothing (EPOCH_FROM = EPOCH_TO = the checkpoint's epoch): the same score.
        assertEquals(best.get("score").asDouble(), metrics.get("score").asDouble(), 1e-12, r.out());
        assertEquals(2, metrics.get("epoch").asInt(), "the checkpoint's epoch: " + r.out());

        Cli.Result member = Cli.run("eval", work.resolve("members/1/gen-1").toString(), "--trainer-command",
                Cli.fakeTrainerCommand());
        assertEquals(0, member.code(), member.out() + member.err());
        assertTrue(member.out().startsWith("validation accuracy "), member.out());
    }

    @Test
    void evalExitsTwoForBadInput() throws Exception {
        Path garbage = tmp.resolve("garbage.safetensors");
        Files.writeString(garbage, "not a checkpoint at all");
        Cli.Result r = Cli.run("eval", garbage.toString(), "--trainer-command", Cli.fakeTrainerCommand());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("not a readable checkpoint"), r.err());

        Cli.Result refused = Cli.run("eval", work.resolve("best").toString(), "--trainer-command",
                "echo 'unknown task argument' >&2; exit 2");
        assertEquals(2, refused.code(), "the trainer's exit 2 is bad input: " + refused.err());
        assertTrue(refused.err().contains("unknown task argument"), refused.err());
    }

    @Test
    void aTrainerCommandMayStartWithVariableAssignments() throws Exception {
        TrainerCommand c = TrainerCommand.custom("GREETING='hi there' OTHER=1 env");
        Process p = new ProcessBuilder(c.argv()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("GREETING=hi there\n") && out.contains("OTHER=1\n"), out);

        Path manifest = tmp.resolve("assign.yaml");
        Files.writeString(manifest, ResumeTest.MANIFEST.replace("generations: 3", "generations: 1")
                .replace("population: 8", "population: 3"));
        Cli.Result r = Cli.run("run", "-f", manifest.toString(), "--dir", tmp.resolve("assign").toString(), "-q",
                "--trainer-command", "FAKE_TRAINER_SLEEP_MS=1 " + Cli.fakeTrainerCommand());
        assertEquals(0, r.code(), r.out() + r.err());
    }

    @Test
    void theLocalDriverPassesMemberGenerationAndModeAndNoEmptyTask() throws Exception {
        Path manifest = tmp.resolve("env.yaml");
        Files.writeString(manifest, ResumeTest.MANIFEST.replace("generations: 3", "generations: 1")
                .replace("population: 8", "population: 3").replace("trainer: {task: fake}", "trainer: {}"));
        Path dir = tmp.resolve("env");
        Cli.Result r = Cli.run("run", "-f", manifest.toString(), "--dir", dir.toString(), "-q", "--trainer-command",
                "echo \"mode=$PBTNAS_MODE member=$PBTNAS_MEMBER generation=$PBTNAS_GENERATION task=${PBTNAS_TASK-unset}\"; "
                        + "exec " + Cli.fakeTrainerCommand());
        assertEquals(0, r.code(), r.out() + r.err());
        String log = Files.readString(dir.resolve("logs/member-1-gen-0-attempt-0.log"));
        assertTrue(log.contains("mode=train member=1 generation=0 task=unset"), log.toLowerCase(Locale.ROOT));
    }
}
