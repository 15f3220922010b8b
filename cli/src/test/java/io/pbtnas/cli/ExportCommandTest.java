package io.pbtnas.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.pbtnas.cli.storage.S3Clients;
import io.pbtnas.cli.storage.S3Location;
import io.pbtnas.cli.storage.S3Objects;
import io.pbtnas.cli.storage.S3Settings;
import io.pbtnas.cli.support.Cli;
import io.pbtnas.testkit.s3.S3Endpoint;
import io.pbtnas.testkit.s3.WithS3Server;
import io.pbtnas.core.engine.Seeds;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.layout.CheckpointLayout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `pbtnas export` (what the operator runs when a search is complete) writes exactly what the local
 * mode writes at the end of a run: one local search (fake trainer) is the reference.
 */
@WithS3Server
class ExportCommandTest {
    @TempDir
    static Path tmp;
    static Path work;
    static Map<String, byte[]> reference;
    static String space;

    @BeforeAll
    static void localRun() throws Exception {
        Path manifest = tmp.resolve("m.yaml");
        Files.writeString(manifest, ResumeTest.MANIFEST.replace("generations: 3", "generations: 2"));
        work = tmp.resolve("work");
        Cli.Result r = Cli.run("run", "-f", manifest.toString(), "--dir", work.toString(), "--parallel", "2", "-q",
                "--trainer-command", "echo seed=$PBTNAS_SEED; exec " + Cli.fakeTrainerCommand());
        assertEquals(0, r.code(), r.out() + r.err());
        reference = exported(work);
        space = Json.write(Json.MAPPER.readTree(work.resolve("search.json").toFile()).get("spec").get("searchSpace"));
    }

    /** best/* and history.json, by path relative to the root. */
    static Map<String, byte[]> exported(Path root) throws Exception {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(root.resolve(CheckpointLayout.BEST))) {
            for (Path f : files.toList()) {
                out.put("best/" + f.getFileName(), Files.readAllBytes(f));
            }
        }
        out.put(CheckpointLayout.HISTORY, Files.readAllBytes(root.resolve(CheckpointLayout.HISTORY)));
        return out;
    }

    static void deleteExport(Path root) throws Exception {
        Path best = root.resolve(CheckpointLayout.BEST);
        if (Files.isDirectory(best)) {
            try (Stream<Path> files = Files.list(best)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(best);
        }
        Files.deleteIfExists(root.resolve(CheckpointLayout.HISTORY));
    }

    static void assertSameExport(Map<String, byte[]> expected, Map<String, byte[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, v) -> assertArrayEquals(v, actual.get(k), k + " differs from the local mode's"));
    }

    @Test
    void writesWhatTheLocalModeWritesAndIsIdempotent() throws Exception {
        // The local mode's own directory with its export removed: same path, so README.txt matches too.
        Path root = work;
        deleteExport(root);
        String[] args = {"export", "--root", root.toString(), "--status", "@" + root.resolve("status.json"),
            "--search-space", space, "--name", "resume", "--task", "fake"};
        Cli.Result r = Cli.run(args);
        assertEquals(0, r.code(), r.out() + r.err());
        assertSameExport(reference, exported(root));

        JsonNode status = Json.MAPPER.readTree(root.resolve("status.json").toFile());
        String checkpoint = status.get("best").get("checkpoint").asText();
        assertArrayEquals(Files.readAllBytes(root.resolve(checkpoint)),
                Files.readAllBytes(root.resolve("best/model.safetensors")), "best/ holds the best member's checkpoint");
        JsonNode history = Json.MAPPER.readTree(root.resolve("history.json").toFile());
        assertTrue(history.get("lineage").findValuesAsText("kind").contains("mix"), history.toString());

        // Again, over a complete export: same bytes, no temporary files left.
        assertEquals(0, Cli.run(args).code());
        assertSameExport(reference, exported(root));
        assertNoTemporaryFiles(root);
    }

    /**
     * A search root in a bucket: `pbtnas export --root s3://...` (a child JVM with the AWS environment)
     * uploads the same best/ and history.json the local export writes, and report.html; `pbtnas report
     * -o s3://...` uploads the same report `-o FILE` writes.
     */
    @Test
    void aSearchRootInABucketGetsTheSameExportAndReport(S3Endpoint e) throws Exception {
        S3Location root = new S3Location("export-test", "searches/ns/resume-1234abcd");
        Path input = tmp.resolve("s3-search.json.gz");
        Files.write(input, gzippedResource(work));
        try (S3Objects s3 = S3Objects.of(S3Settings.of(e.url(), e.region(), e.accessKeyId(),
                e.secretAccessKey()))) {
            s3.createBucket(root.bucket());
            s3.putAttempt(work.resolve("members"), root.resolve("members"));
            Path log = tmp.resolve("s3-export.log");
            Process p = Cli.start(log, e.awsEnvironment(), "export", "--root", root.toString(), "--search",
                    input.toString());
            assertTrue(p.waitFor(2, java.util.concurrent.TimeUnit.MINUTES));
            assertEquals(0, p.exitValue(), Files.readString(log));
            Path back = tmp.resolve("s3-export-back");
            s3.downloadTree(root.resolve("best"), back.resolve("best"));
            s3.download(root.resolve("history.json"), back.resolve("history.json"));
            Map<String, byte[]> got = exported(back);
            assertEquals(reference.keySet(), got.keySet());
            for (String f : List.of("best/model.safetensors", "best/genome.json", "best/task.json", "history.json")) {
                assertArrayEquals(reference.get(f), got.get(f), f + " differs from the local mode's");
            }
            assertTrue(s3.exists(root.resolve("report.html")));

            // the report of the same resource, to a bucket and to a file
            Path json = tmp.resolve("s3-search.json");
            try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(input))) {
                Files.write(json, in.readAllBytes());
            }
            Path reportLog = tmp.resolve("s3-report.log");
            Process r = Cli.start(reportLog, e.awsEnvironment(), "report", "-f", json.toString(), "-o",
                    root.resolve("reports/now.html").toString());
            assertTrue(r.waitFor(2, java.util.concurrent.TimeUnit.MINUTES));
            assertEquals(0, r.exitValue(), Files.readString(reportLog));
            Path local = tmp.resolve("s3-report-local.html");
            assertEquals(0, Cli.run("report", "-f", json.toString(), "-o", local.toString()).code());
            assertEquals(Files.readString(local), s3.readString(root.resolve("reports/now.html")));
        }
    }

    static void assertNoTemporaryFiles(Path root) throws Exception {
        try (Stream<Path> all = Files.walk(root)) {
            List<String> temps = all.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tmp-")).toList();
            assertTrue(temps.isEmpty(), temps.toString());
        }
    }

    /** What the operator's export pod reads: the resource (spec and status) as gzip-compressed JSON. */
    static byte[] gzippedResource(Path work) throws Exception {
        JsonNode local = Json.MAPPER.readTree(work.resolve("search.json").toFile());
        com.fasterxml.jackson.databind.node.ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("apiVersion", "pbtnas.io/v1alpha1");
        r.put("kind", "PbtNasSearch");
        r.putObject("metadata").put("name", local.get("name").asText()).put("namespace", "ns");
        r.set("spec", local.get("spec"));
        r.set("status", Json.MAPPER.readTree(work.resolve("status.json").toFile()));
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(bytes)) {
            gz.write(Json.write(r).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    @Test
    void theSearchResourceGivesEverythingAndReportHtmlIsWrittenBesideBest() throws Exception {
        Path root = tmp.resolve("resource-root");
        copyTree(work, root);
        deleteExport(root);
        Files.delete(root.resolve("report.html"));
        Path input = tmp.resolve("search.json.gz");
        Files.write(input, gzippedResource(work));
        Cli.Result r = Cli.run("export", "--root", root.toString(), "--search", input.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        Map<String, byte[]> got = exported(root);
        // Same files; README.txt names the folder, which differs here.
        for (String f : List.of("best/model.safetensors", "best/genome.json", "best/task.json", "history.json")) {
            assertArrayEquals(reference.get(f), got.get(f), f + " differs from the local mode's");
        }
        assertEquals(reference.keySet(), got.keySet());
        // The same report the local mode writes at the end of its run, beside best/.
        assertEquals(Files.readString(work.resolve("report.html")), Files.readString(root.resolve("report.html")));
        assertEquals(8, EndToEndTest.count(Files.readString(root.resolve("report.html")), "class=\"member-row"),
                "every member in the report");
        assertNoTemporaryFiles(root);

        Cli.Result both = Cli.run("export", "--root", root.toString(), "--search", input.toString(),
                "--status", "{}");
        assertEquals(2, both.code());
        assertTrue(both.err().contains("--status: not with --search"), both.err());
        Files.writeString(input, "{\"kind\":\"Pod\"}");
        Cli.Result notASearch = Cli.run("export", "--root", root.toString(), "--search", input.toString());
        assertEquals(2, notASearch.code());
        assertTrue(notASearch.err().contains("--search: kind: expected a PbtNasSearch resource"), notASearch.err());
    }

    @Test
    void exportChecksTheCheckpointItCopies() throws Exception {
        Path root = tmp.resolve("cut-root");
        copyTree(work, root);
        deleteExport(root);
        String statusJson = Files.readString(root.resolve("status.json"));
        String checkpoint = Json.MAPPER.readTree(statusJson).get("best").get("checkpoint").asText();
        Path model = root.resolve(checkpoint);
        byte[] whole = Files.readAllBytes(model);
        Files.write(model, java.util.Arrays.copyOf(whole, whole.length - 7));
        Cli.Result r = Cli.run("export", "--root", root.toString(), "--status", statusJson, "--search-space", space);
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("--status.best.checkpoint: output check 'checkpoint parses'"), r.err());
        assertTrue(Files.notExists(root.resolve("best/model.safetensors")), "nothing unchecked was copied");
    }

    @Test
    void badInputExits2NamingTheFieldAndWritesNothing() throws Exception {
        Path root = tmp.resolve("bad-root");
        Files.createDirectories(root.resolve("members/0/gen-0"));
        Files.writeString(root.resolve("members/0/gen-0/model.safetensors"), "x");
        String best = "{\"member\":0,\"score\":0.5,\"genome\":{\"cell0\":\"conv3x3\"},\"generation\":0,"
                + "\"checkpoint\":\"%s\"}";
        String status = "{\"phase\":\"Complete\",\"generation\":0,\"best\":" + best + "}";
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {"--status.best: missing", "{\"phase\":\"Training\",\"generation\":0}"});
        cases.add(new String[] {"--status.best.checkpoint: ", status.formatted("members/0/gen-0/missing.safetensors")});
        cases.add(new String[] {"escapes the search root", status.formatted("../../etc/passwd")});
        cases.add(new String[] {"--status.bst: unknown field", "{\"bst\":{}}"});
        cases.add(new String[] {"--status.phase: 'Done' is not one of", "{\"phase\":\"Done\"}"});
        for (String[] c : cases) {
            Cli.Result r = Cli.run("export", "--root", root.toString(), "--status", c[1], "--search-space", space);
            assertEquals(2, r.code(), c[1] + ": " + r.out() + r.err());
            assertTrue(r.err().contains(c[0]), "expected '" + c[0] + "' in: " + r.err());
        }
        Cli.Result noRoot = Cli.run("export", "--root", root.resolve("nope").toString(), "--status",
                status.formatted("members/0/gen-0/model.safetensors"), "--search-space", space);
        assertEquals(2, noRoot.code());
        assertTrue(noRoot.err().contains("--root: ") && noRoot.err().contains("is not a directory"), noRoot.err());
        Cli.Result badSpace = Cli.run("export", "--root", root.toString(), "--status",
                status.formatted("members/0/gen-0/model.safetensors"), "--search-space", "{\"genes\":7}");
        assertEquals(2, badSpace.code());
        assertTrue(badSpace.err().contains("--search-space"), badSpace.err());
        Cli.Result missing = Cli.run("export", "--root", root.toString(), "--search-space", space);
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("--status: required (or give --search with the resource)"), missing.err());
        assertFalse(Files.exists(root.resolve("best")), "nothing written for bad input");
        assertFalse(Files.exists(root.resolve("history.json")), "nothing written for bad input");
    }

    @Test
    void localTrainersGetCoresTrainerSeed() throws Exception {
        // Every member of generation 0 received Seeds.trainerSeed(spec.seed, member, 0) as PBTNAS_SEED.
        for (int m = 0; m < 8; m++) {
            String log = Files.readString(work.resolve("logs/member-" + m + "-gen-0-attempt-0.log"));
            assertTrue(log.contains("seed=" + Seeds.trainerSeed(11, m, 0) + "\n"), "member " + m + ": " + log);
        }
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
