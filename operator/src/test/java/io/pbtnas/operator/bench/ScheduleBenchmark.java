package io.pbtnas.operator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.model.Phase;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.operator.api.PbtNasSearch;
import io.pbtnas.operator.it.Harness;
import io.pbtnas.operator.it.KueueQueues;
import io.pbtnas.operator.pods.KueueLabels;
import io.pbtnas.testkit.kueue.TestKueue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmark: GPU idle share of the synchronous against the asynchronous schedule, in the same run, on
 * the real API server with the real SearchReconciler and a test kubelet whose node has 4
 * {@code nvidia.com/gpu}. Population 8, 10 steps, each member pod requests 1 GPU (parallelism 4).
 * Member pods run the contract trainer (real checkpoints, real {@code pbtnas mix} init containers),
 * sleeping for a step time that follows the architecture's measured cost: ops.json holds the built-in
 * DJL trainer's wall ms per training image for each op on this machine (benchmarks/schedule/measure_ops.py),
 * and a step is {@code epochsPerStep} epochs of {@code trainImages} images, scaled by
 * {@code secondsPerRealMinute}. Raw pod intervals, arrivals and statuses go to schedule-raw.json;
 * benchmarks/schedule/summarize.py computes the idle share and skipped judgements from them.
 *
 * <p>Not part of the test suite: run {@code benchmarks/schedule/run.sh}.
 */
@EnabledIfSystemProperty(named = "pbtnas.bench", matches = "true", disabledReason = "benchmark: benchmarks/schedule/run.sh")
class ScheduleBenchmark {
    static final String[] OPS = {"conv3x3", "conv5x5", "sepconv3x3", "dilconv3x3", "maxpool", "skip"};

    @Test
    void gpuIdleShare() throws Exception {
        int gpus = Integer.getInteger("pbtnas.bench.gpus", 4);
        // Under Kueue: a ClusterQueue of this many GPUs is the limit (the node gets one GPU per member,
        // parallelism is the population); the idle share is then of the quota Kueue gave the search.
        Integer kueueQuota = Integer.getInteger("pbtnas.bench.kueueQuota");
        int population = Integer.getInteger("pbtnas.bench.population", 8);
        int generations = Integer.getInteger("pbtnas.bench.generations", 10);
        int positions = Integer.getInteger("pbtnas.bench.positions", 6);
        int seed = Integer.getInteger("pbtnas.bench.seed", 11);
        double epochsPerStep = Double.parseDouble(System.getProperty("pbtnas.bench.epochsPerStep", "10"));
        int trainImages = Integer.getInteger("pbtnas.bench.trainImages", 60000);
        double scale = Double.parseDouble(System.getProperty("pbtnas.bench.secondsPerRealMinute", "1"));
        List<String> schedules = List.of(System.getProperty("pbtnas.bench.schedules", "synchronous,asynchronous")
                .split(","));
        Path opsFile = Path.of(System.getProperty("pbtnas.bench.ops", "../benchmarks/results/schedule/ops.json"));
        JsonNode ops = Json.MAPPER.readTree(Files.readString(opsFile));

        // Scaled milliseconds per step: real ms = ms/image x images x epochs; 1 real minute -> `scale` s.
        double factor = trainImages * epochsPerStep * scale / 60.0;
        long baseMillis = Math.round(ops.get("baseMsPerImage").asDouble() * factor);
        Map<String, Long> perOp = new LinkedHashMap<>();
        for (String op : OPS) {
            perOp.put(op, Math.round(ops.get("perPositionMsPerImage").get(op).asDouble() * factor));
        }
        String args = "{sleepMillis: " + baseMillis + ", sleepMillisPerOp: " + Json.write(perOp) + "}";

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "GPU idle share, synchronous vs asynchronous");
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("gpus", kueueQuota == null ? gpus : kueueQuota);
        if (kueueQuota != null) {
            settings.put("kueueQuota", kueueQuota);
            settings.put("parallelism", population);
        }
        settings.put("population", population);
        settings.put("generations", generations);
        settings.put("positions", positions);
        settings.put("options", List.of(OPS));
        settings.put("seed", seed);
        settings.put("epochsPerStep", epochsPerStep);
        settings.put("trainImages", trainImages);
        settings.put("secondsPerRealMinute", scale);
        settings.put("stepMillis", "sleepMillis + sum over positions of sleepMillisPerOp[op]");
        settings.put("sleepMillis", baseMillis);
        settings.put("sleepMillisPerOp", perOp);
        settings.put("opsFile", opsFile.toString());
        settings.put("ops", Json.MAPPER.convertValue(ops, Map.class));
        result.put("settings", settings);
        List<Map<String, Object>> runs = new ArrayList<>();
        result.put("runs", runs);

        BenchCluster.installCrd();
        try (BenchOperator operator = new BenchOperator()) {
            for (String schedule : schedules) {
                runs.add(runOne(schedule.trim(), gpus, population, generations, positions, seed, args, kueueQuota));
                result.put("environment", BenchReport.environment());
                BenchReport.write("schedule-raw", result, "Raw results of ScheduleBenchmark; "
                        + "benchmarks/schedule/summarize.py turns them into summary.md and timeline.svg.\n");
            }
        }
        for (Map<String, Object> r : runs) {
            assertEquals("Complete", r.get("phase"), "search " + r.get("schedule") + " completed");
        }
    }

    private Map<String, Object> runOne(String schedule, int gpus, int population, int generations, int positions,
            int seed, String args, Integer kueueQuota) throws Exception {
        String name = "sched-" + schedule.substring(0, 5);
        boolean queued = kueueQuota != null;
        try (Harness h = queued ? new Harness(name, population, TestKueue.shared()) : new Harness(name, gpus);
             GpuTimeline timeline = new GpuTimeline(h.client, h.namespace)) {
            if (queued) {
                KueueQueues.create(h, kueueQuota);
            }
            StringBuilder genes = new StringBuilder();
            for (int i = 0; i < positions; i++) {
                genes.append("      - {name: cell").append(i).append(", options: ")
                        .append(Json.write(List.of(OPS))).append("}\n");
            }
            String yaml = """
                    apiVersion: pbtnas.io/v1alpha1
                    kind: PbtNasSearch
                    metadata: {name: %s%s}
                    spec:
                      population: %d
                      generations: %d
                      parallelism: %d
                      seed: %d
                      schedule: %s
                      selection: {replaceFraction: 0.25, parentFraction: 0.25}
                      mixing: {layerSwapProbability: 0.25, shrink: 0.4, perturb: 0.1}
                      searchSpace:
                        genes:
                    %s  trainer:
                        image: pbtnas/contract-trainer:1
                        task: fashion-mnist
                        args: %s
                        resources: {limits: {nvidia.com/gpu: "1"}}
                      storage: {persistentVolumeClaim: {claimName: %s}}
                    """.formatted(name, queued ? ", labels: {" + KueueLabels.QUEUE_NAME + ": " + KueueQueues.QUEUE + "}" : "",
                    population, generations, queued ? population : gpus, seed, schedule, genes, args, Harness.CLAIM);
            long created = System.nanoTime();
            h.create(yaml);
            PbtNasSearch done = h.awaitPhase(name, Phase.COMPLETE, Duration.ofMinutes(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!timeline.allTerminal(population * generations) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            SearchStatus status = done.getStatus();
            long origin = timeline.firstBound();
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("schedule", schedule);
            r.put("phase", Json.MAPPER.convertValue(status.phase(), String.class));
            r.put("createdToFirstBoundS", Stats.round3((origin - created) / 1e9));
            r.put("pods", timeline.rows(origin));
            r.put("status", Json.MAPPER.convertValue(status, Map.class));
            Map<String, Integer> verdicts = new TreeMap<>();
            status.arrivals().forEach(a -> verdicts.merge(String.valueOf(a.verdict()), 1, Integer::sum));
            r.put("verdicts", verdicts);
            assertTrue(timeline.allTerminal(population * generations), schedule + ": every member pod ended");
            System.out.printf("[bench] %s: complete, best %s, verdicts %s%n", schedule, status.best().score(), verdicts);
            if (queued) {
                KueueQueues.delete(h);
            }
            return r;
        }
    }
}
