package io.pbtnas.cli;

import io.pbtnas.cli.support.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A trainer's outputs count only when they pass the contract's checks (local driver). */
class OutputChecksTest {
    @Test
    void aTruncatedCheckpointInTheLastGenerationFailsTheAttemptNotCompletesTheSearch(@TempDir Path tmp)
            throws Exception {
        Path manifest = tmp.resolve("m.yaml");
        Files.writeString(manifest, ResumeTest.MANIFEST.replace("generations: 3", "generations: 2")
                .replace("population: 8", "population: 4").replace("seed: 11", "seed: 11\n  failurePolicy: {maxRetries: 0}"));
        Path dir = tmp.resolve("work");
        // Exits 0 with a valid score, but half of the last generation's checkpoint is missing.
        String trainer = Cli.fakeTrainerCommand() + " && if [ \"$PBTNAS_GENERATION\" = 1 ]; then "
                + "truncate -s 40 \"$PBTNAS_OUTPUT_DIR/model.safetensors\"; fi";
        Cli.Result r = Cli.run("run", "-f", manifest.toString(), "--dir", dir.toString(), "--parallel", "2",
                "--trainer-command", trainer);
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("output check 'checkpoint parses'"), r.out());
        assertTrue(Files.notExists(dir.resolve("best/model.safetensors")), "no truncated file exported");
    }

    @Test
    void aCheckpointOfTheWrongEpochIsAFailedAttemptNamingTheCheck(@TempDir Path tmp) throws Exception {
        Path manifest = tmp.resolve("m.yaml");
        Files.writeString(manifest, ResumeTest.MANIFEST.replace("generations: 3", "generations: 1")
                .replace("population: 8", "population: 4").replace("seed: 11", "seed: 11\n  failurePolicy: {maxRetries: 0}"));
        // The fake trainer records PBTNAS_EPOCH_TO as its epoch; make it train one epoch more than asked.
        Cli.Result r = Cli.run("run", "-f", manifest.toString(), "--dir", tmp.resolve("w").toString(),
                "--trainer-command", "export PBTNAS_EPOCH_TO=2; exec " + Cli.fakeTrainerCommand());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("output check 'epoch'") && r.out().contains("expected 1"), r.out());
    }
}
