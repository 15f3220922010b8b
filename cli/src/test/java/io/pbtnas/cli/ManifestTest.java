package io.pbtnas.cli;


import io.pbtnas.cli.manifest.Manifest;
import io.pbtnas.cli.manifest.ManifestException;
import io.pbtnas.cli.manifest.ManifestReader;
import io.pbtnas.cli.support.Cli;
import io.pbtnas.core.model.Strategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The manifest a user applies to a cluster is read here with the same classes and rules. */
class ManifestTest {
    static final String GOOD = """
            apiVersion: pbtnas.io/v1alpha1
            kind: PbtNasSearch
            metadata: {name: fmnist, labels: {team: vision}}
            spec:
              population: 8
              generations: 4
              mixing: {layerSwapProbability: 0.25, shrink: 0.4, perturb: 0.1}
              searchSpace:
                genes:
                  - {name: cell0, options: [conv3x3, skip]}
                  - {name: cell1, options: [conv3x3, skip]}
              trainer:
                image: pbtnas/trainer:0.1.0
                task: fashion-mnist
                args: {batchSize: 128}
                resources: {limits: {nvidia.com/gpu: 1}}
              storage: {persistentVolumeClaim: {claimName: ckpt}}
            """;

    final ManifestReader reader = new ManifestReader();

    @Test
    void theExamplesAndAClusterManifestParse() throws Exception {
        Manifest m = reader.parse(GOOD, "good.yaml");
        assertEquals("fmnist", m.name());
        assertEquals(8, m.spec().population());
        assertEquals(Strategy.PBT_NAS, ManifestReader.effectiveSpec(m).strategy(), "default strategy");
        for (String example : new String[] {"quickstart.yaml", "local-small.yaml"}) {
            Manifest e = reader.read(Path.of("..", "examples", example).toString(), System.in);
            assertTrue(e.spec().population() >= 8 && e.spec().generations() >= 3, example);
        }
    }

    @Test
    void standardInputIsReadForDash() throws Exception {
        Manifest m = reader.read("-", new ByteArrayInputStream(GOOD.getBytes(StandardCharsets.UTF_8)));
        assertEquals("fmnist", m.name());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown mixing field | 'shrink: 0.4,' | 'shrnk: 0.4,' | spec.mixing.shrnk: unknown field (known: layerSwapProbability, offGenerations, perturb, selfMix, shrink)
            unknown spec field | 'generations: 4' | 'generatons: 4' | spec.generatons: unknown field
            bad enum | 'population: 8' | 'population: 8\n  strategy: evolution' | spec.strategy: 'evolution' is not one of [pbt-nas, mutation, random]
            wrong type | 'population: 8' | 'population: eight' | spec.population: expected a whole number, got 'eight'
            out of range | 'population: 8' | 'population: 8\n  selection: {replaceFraction: 1.5}' | spec.selection.replaceFraction: must be in (0, 1), got 1.5
            gene typo | '{name: cell1, options: [conv3x3, skip]}' | '{name: cell1, option: [conv3x3, skip]}' | spec.searchSpace.genes[1].option: unknown field
            api version | 'pbtnas.io/v1alpha1' | 'pbtnas.io/v1' | apiVersion: must be pbtnas.io/v1alpha1, got 'pbtnas.io/v1'
            kind | 'kind: PbtNasSearch' | 'kind: Search' | kind: must be PbtNasSearch, got 'Search'
            name | 'name: fmnist' | 'name: FMNIST_1' | metadata.name: must be lowercase letters
            yaml syntax | 'population: 8' | 'population: [8' | line
            duplicate key | 'population: 8' | 'population: 8\n  population: 9' | Duplicate field 'population'
            """)
    void badManifestsAreRejectedNamingTheField(String what, String from, String to, String expected) {
        String yaml = GOOD.replace(from, to.replace("\\n", "\n"));
        assertFalse(yaml.equals(GOOD), "the test edit applied");
        ManifestException e = assertThrows(ManifestException.class, () -> reader.parse(yaml, "bad.yaml"));
        assertTrue(e.getMessage().contains(expected), () -> what + ": " + e.getMessage());
        assertTrue(e.getMessage().startsWith("bad.yaml: "), e.getMessage());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        String yaml = GOOD.replace("population: 8", "population: 0").replace("kind: PbtNasSearch", "kind: Foo");
        ManifestException e = assertThrows(ManifestException.class, () -> reader.parse(yaml, "x.yaml"));
        assertTrue(e.problems().size() >= 2, e.problems().toString());
    }

    @Test
    void runRejectsABadManifestWithExitCode2AndTheMessage(@TempDir Path tmp) throws Exception {
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, GOOD.replace("shrink: 0.4,", "shrnk: 0.4,"));
        Cli.Result r = Cli.run("run", "-f", bad.toString(), "--dir", tmp.resolve("work").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("spec.mixing.shrnk: unknown field"), r.err());
        assertFalse(Files.exists(tmp.resolve("work")), "nothing is created for a bad manifest");

        Cli.Result missing = Cli.run("run", "-f", tmp.resolve("nope.yaml").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("file not found"), missing.err());

        Cli.Result flag = Cli.run("run", "--file", bad.toString(), "--parallel", "many");
        assertEquals(2, flag.code());
        assertTrue(flag.err().contains("--parallel"), flag.err());
    }

    @Test
    void resumingWithADifferentManifestIsRefused(@TempDir Path tmp) throws Exception {
        Path work = tmp.resolve("work");
        Files.createDirectories(work);
        Files.writeString(work.resolve("search.json"), """
                {"name":"fmnist","spec":{"population":8,"generations":3}}
                """);
        Path file = tmp.resolve("m.yaml");
        Files.writeString(file, GOOD);
        Cli.Result r = Cli.run("run", "-f", file.toString(), "--dir", work.toString(), "-q");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("different manifest") && r.err().contains("spec.generations: was 3, now 4"),
                r.err());
    }

    @Test
    void evalRejectsAFolderWithoutACheckpoint(@TempDir Path tmp) {
        Cli.Result r = Cli.run("eval", tmp.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no model.safetensors here"), r.err());
    }

    @Test
    void everyPbtNasSearchExampleInTheRepositoryRunsLocallyAsWritten() throws Exception {
        java.util.List<Path> manifests;
        try (var files = Files.walk(Path.of("..", "examples"))) {
            manifests = files.filter(f -> f.toString().endsWith(".yaml")).toList();
        }
        int checked = 0;
        for (Path f : manifests) {
            String text = Files.readString(f);
            if (text.contains("kind: PbtNasSearch") && !text.contains("\n---")) {
                reader.parse(text, f.toString());
                checked++;
            }
        }
        assertTrue(checked >= 2, "found the examples: " + manifests);
    }
}
