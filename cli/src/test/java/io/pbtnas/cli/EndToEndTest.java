package io.pbtnas.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.pbtnas.cli.storage.S3Clients;
import io.pbtnas.cli.storage.S3Location;
import io.pbtnas.cli.storage.S3Objects;
import io.pbtnas.cli.storage.S3Settings;
import io.pbtnas.cli.support.Cli;
import io.pbtnas.testkit.s3.S3Endpoint;
import io.pbtnas.testkit.s3.WithS3Server;
import io.pbtnas.cli.support.TickLabels;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.safetensors.SafetensorsReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real local search: the built-in DJL trainer on a small Fashion-MNIST subset
 * (examples/local-small.yaml: population 8, 3 generations). Checks that members
 * were replaced by mixes, the lineage is recorded, the exported best network
 * evaluates to the reported score, and the HTML report renders in headless
 * Chromium (a screenshot is kept at cli/target/report-screenshot.png) with round axis tick labels.
 */
@WithS3Server
class EndToEndTest {
    static final Path DIR = Path.of("target", "e2e-work").toAbsolutePath();
    static Cli.Result run;
    static JsonNode status;

    @BeforeAll
    static void search() throws IOException {
        deleteRecursively(DIR);
        Path manifest = Path.of("..", "examples", "local-small.yaml");
        run = Cli.run("run", "-f", manifest.toString(), "--dir", DIR.toString(), "--parallel", "2", "--threads", "1");
        assertEquals(0, run.code(), () -> "run failed:\n" + run.out() + run.err());
        status = Json.MAPPER.readTree(Files.readString(DIR.resolve("status.json")));
    }

    @Test
    void membersWereReplacedByMixesAndTheLineageIsRecorded() throws IOException {
        assertEquals("Complete", status.get("phase").asText());
        List<String> mixes = new ArrayList<>();
        for (JsonNode m : status.get("members")) {
            assertEquals(3, m.get("scores").size(), "every member has a score per generation: " + m);
            for (JsonNode e : m.get("lineage")) {
                if ("mix".equals(e.get("kind").asText())) {
                    int member = m.get("id").asInt();
                    int g = e.get("generation").asInt();
                    mixes.add(member + "@" + g + "<-" + e.get("parent") + "+" + e.get("donor"));
                    // The mixed child was written before its trainer started, and it is a valid checkpoint.
                    Path input = DIR.resolve("members/" + member + "/gen-" + g + "/input.safetensors");
                    try (SafetensorsReader r = SafetensorsReader.open(input)) {
                        assertTrue(r.tensors().size() > 0, input.toString());
                    }
                    assertTrue(e.get("parent").asInt() != member && e.get("donor").asInt() != member, e.toString());
                }
            }
        }
        assertEquals(4, mixes.size(), "2 replaced after each of generations 0 and 1: " + mixes);
        JsonNode history = Json.MAPPER.readTree(Files.readString(DIR.resolve("history.json")));
        long historyMixes = 0;
        for (JsonNode e : history.get("lineage")) {
            historyMixes += "mix".equals(e.get("kind").asText()) && e.has("parent") && e.has("donor")
                    && e.has("swappedGenes") ? 1 : 0;
        }
        assertEquals(4, historyMixes, history.toString());
        // The person watching saw a line per generation, with the replacements.
        assertTrue(run.out().contains("gen 0/3 done: best"), run.out());
        assertTrue(Pattern.compile("replaced \\d+ <- mix\\(parent \\d+, donor \\d+").matcher(run.out()).find(),
                run.out());
        assertTrue(run.out().contains("best network: " + DIR.resolve("best")), run.out());
    }

    @Test
    void theExportedBestNetworkEvaluatesToTheReportedScore() throws IOException {
        Path best = DIR.resolve("best");
        for (String f : List.of("model.safetensors", "genome.json", "search-space.json", "task.json", "README.txt")) {
            assertTrue(Files.isRegularFile(best.resolve(f)), "best/" + f);
        }
        double reported = status.get("best").get("score").asDouble();
        assertEquals(status.get("best").get("genome"), Json.MAPPER.readTree(Files.readString(best.resolve("genome.json"))));
        Cli.Result eval = Cli.run("eval", best.toString());
        assertEquals(0, eval.code(), eval.err());
        Matcher m = Pattern.compile("validation accuracy ([0-9.]+), test accuracy ([0-9.]+)").matcher(eval.out());
        assertTrue(m.find(), eval.out());
        // Printed with 4 decimals; the subset has 256 validation images, so one image is 0.0039.
        assertEquals(reported, Double.parseDouble(m.group(1)), 0.00006, eval.out());
        double test = Double.parseDouble(m.group(2));
        assertTrue(test > 0.1 && test <= 1, "test accuracy above chance: " + test);
    }

    /** A user on a laptop: `pbtnas eval s3://bucket/.../best` gives what the local eval gives, the search's score. */
    @Test
    void theBestNetworkInABucketEvaluatesToTheSameScore(S3Endpoint e) throws Exception {
        S3Location best = new S3Location("e2e", "searches/ns/local-small-1234abcd/best");
        try (S3Objects s3 = S3Objects.of(S3Settings.of(e.url(), e.region(), e.accessKeyId(),
                e.secretAccessKey()))) {
            s3.createBucket(best.bucket());
            s3.putAttempt(DIR.resolve("best"), best);
        }
        Path log = DIR.resolve("eval-s3.log");
        Process p = Cli.start(log, e.awsEnvironment(), "eval", best.toString());
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "pbtnas eval s3://... did not finish");
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        Matcher fromBucket = Pattern.compile("validation accuracy ([0-9.]+), test accuracy ([0-9.]+)  \\((.*)\\)")
                .matcher(out);
        assertTrue(fromBucket.find(), out);
        assertEquals(best.toString(), fromBucket.group(3), "names what it evaluated");
        Cli.Result local = Cli.run("eval", DIR.resolve("best").toString());
        Matcher m = Pattern.compile("validation accuracy ([0-9.]+), test accuracy ([0-9.]+)").matcher(local.out());
        assertTrue(m.find(), local.out());
        assertEquals(m.group(1) + " " + m.group(2), fromBucket.group(1) + " " + fromBucket.group(2),
                "the same accuracies as the local eval");
        assertEquals(status.get("best").get("score").asDouble(), Double.parseDouble(fromBucket.group(1)), 0.00006, out);
    }

    /** A member's folder in a bucket evaluates with the task settings of the search record above it. */
    @Test
    void aMemberFolderInABucketEvaluatesLikeTheLocalOne(S3Endpoint e) throws Exception {
        String checkpoint = status.get("best").get("checkpoint").asText(); // members/<m>/gen-<g>/attempt-<a>/...
        String memberGen = checkpoint.substring(0, checkpoint.indexOf("/attempt-"));
        S3Location root = new S3Location("e2e-member", "searches/ns/local-small-1234abcd");
        try (S3Objects s3 = S3Objects.of(S3Settings.of(e.url(), e.region(), e.accessKeyId(),
                e.secretAccessKey()))) {
            s3.createBucket(root.bucket());
            s3.putNew(DIR.resolve("search.json"), root.resolve("search.json"));
            s3.putAttempt(DIR.resolve(memberGen), root.resolve(memberGen));
            // without the search's status or history it cannot tell which attempt counts, and says so by key
            Path firstLog = DIR.resolve("eval-s3-member-nostatus.log");
            Process first = Cli.start(firstLog, e.awsEnvironment(), "eval", root.resolve(memberGen).toString());
            assertTrue(first.waitFor(2, TimeUnit.MINUTES));
            String said = Files.readString(firstLog);
            assertEquals(2, first.exitValue(), said);
            assertTrue(said.contains(root.resolve(memberGen).toString()) && !said.contains("/tmp/"), said);
            s3.putNew(DIR.resolve("status.json"), root.resolve("status.json"));
        }
        Path log = DIR.resolve("eval-s3-member.log");
        Process p = Cli.start(log, e.awsEnvironment(), "eval", root.resolve(memberGen).toString());
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "pbtnas eval s3://... did not finish");
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        Cli.Result local = Cli.run("eval", DIR.resolve(memberGen).toString());
        assertEquals(0, local.code(), local.err());
        Pattern accuracies = Pattern.compile("validation accuracy ([0-9.]+), test accuracy ([0-9.]+)");
        Matcher l = accuracies.matcher(local.out());
        Matcher b = accuracies.matcher(out);
        assertTrue(l.find() && b.find(), local.out() + out);
        assertEquals(l.group(0), b.group(0), "the same evaluation as the local member folder");
    }

    @Test
    void theReportRendersInHeadlessChromium() throws Exception {
        Path report = DIR.resolve("report.html");
        String html = Files.readString(report);
        assertTrue(!Pattern.compile("src=|<link|<script|url\\((?!#)|href=\"http").matcher(html).find(),
                "self-contained: no external assets");
        Path profile = Files.createTempDirectory("pbtnas-chromium-");
        try {
            String dom = chromium(profile, "--dump-dom", report.toUri().toString());
            assertTrue(dom.contains("<svg id=\"scores\""), "score chart");
            assertTrue(dom.contains("<svg id=\"lineage\""), "lineage chart");
            assertEquals(8, count(dom, "class=\"member-line\""), "a score line per member");
            assertEquals(4, count(dom, "class=\"replacement\""), "a lineage arrow group per replacement");
            assertEquals(8, count(dom, "class=\"member-row"), "a population row per member");
            assertTrue(dom.contains("id=\"best-genome\""), "best genome table");
            assertRoundTickLabels(dom);
            assertTrue(dom.contains(String.format(java.util.Locale.ROOT, "%.4f",
                    status.get("best").get("score").asDouble())), "best score shown");
            Path shot = Path.of("target", "report-screenshot.png").toAbsolutePath();
            Files.deleteIfExists(shot);
            chromium(profile, "--screenshot=" + shot, "--window-size=1200,1500", report.toUri().toString());
            byte[] png = Files.readAllBytes(shot);
            assertTrue(png.length > 20_000, "a screenshot with content: " + png.length + " bytes");
            assertEquals((byte) 0x89, png[0]);
            assertEquals('P', png[1]);
        } finally {
            deleteRecursively(profile);
        }
    }

    /**
     * Every chart axis that declares its scale (data-y-scale / data-x-scale on its svg) has round tick labels,
     * read as text from the page as the browser parsed it; returns how many axes were checked.
     */
    static int assertRoundTickLabels(String dom) {
        Matcher svg = Pattern.compile("<svg[^>]*\\bdata-([xy])-scale=\"(\\w+)\"[^>]*>").matcher(dom);
        int axes = 0;
        List<String> seen = new ArrayList<>();
        while (svg.find()) {
            String start = svg.group();
            List<String> labels = TickLabels.labels(dom.substring(svg.start()), start, svg.group(1) + "-tick");
            TickLabels.assertRound(labels, "log".equals(svg.group(2)));
            seen.add(start.replaceAll(" xmlns.*", "") + " " + labels);
            axes++;
        }
        assertTrue(dom.contains("<svg id=\"scores\" data-y-scale=\"linear\""), "the score chart's axis is checked");
        assertTrue(axes >= 1, "chart axes with round ticks: " + seen);
        return axes;
    }

    static String chromium(Path profile, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new AssertionError("chromium is not installed: apt-get install -y chromium "
                    + "(scripts/setup.sh does it)", e);
        }
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium hung");
        assertEquals(0, p.exitValue(), "chromium failed: " + out);
        return out;
    }

    static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
