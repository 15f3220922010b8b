package io.pbtnas.operator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.pbtnas.core.model.Phase;
import io.pbtnas.operator.api.PbtNasSearch;
import io.pbtnas.operator.pods.PodLabels;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmark 3: generation turnaround on the real API server. One search at a time, population 64,
 * trainers that finish at once; per generation boundary, the time from the last member pod seen
 * terminal to all next-generation member pods seen created (both on one watch of this JVM).
 * Baseline in the same run: the same 64 pods created one after another by a plain client, seen on
 * the same kind of watch — the floor any operator that creates pods one by one pays here.
 *
 * <p>Not part of the test suite (its name does not end in Test, and it needs {@code -Dpbtnas.bench=true}):
 * run {@code benchmarks/operator/run.sh turnaround}.
 */
@EnabledIfSystemProperty(named = "pbtnas.bench", matches = "true", disabledReason = "benchmark: benchmarks/operator/run.sh")
class GenerationTurnaroundBenchmark {
    private static final String FLOOR = "bench.pbtnas.io/floor";

    @Test
    void generationTurnaround() throws Exception {
        int population = Integer.getInteger("pbtnas.bench.population", 64);
        int generations = Integer.getInteger("pbtnas.bench.generations", 6);
        int repetitions = Integer.getInteger("pbtnas.bench.repetitions", 3);
        int floorRuns = Integer.getInteger("pbtnas.bench.floorRuns", 10);

        List<Map<String, Object>> samples = new ArrayList<>();
        List<Double> turnaround = new ArrayList<>();
        List<Double> firstPod = new ArrayList<>();
        List<Double> coldStart = new ArrayList<>();
        List<Double> floor = new ArrayList<>();
        long t0 = System.nanoTime();
        try (BenchCluster cluster = new BenchCluster("turnaround");
                PodTimeline timeline = new PodTimeline(cluster.client, cluster.namespace);
                BenchOperator operator = new BenchOperator()) {
            // Warm-up (JIT, connection pools, informers): not measured.
            runSearch(cluster, timeline, "warmup", population, 2);

            for (int rep = 0; rep < repetitions; rep++) {
                String name = "turn-" + rep;
                long created = runSearch(cluster, timeline, name, population, generations);
                coldStart.add(ms(timeline.lastCreated(name, 0).getAsLong() - created));
                for (int g = 0; g + 1 < generations; g++) {
                    long lastDone = timeline.lastTerminal(name, g).getAsLong();
                    long allCreated = timeline.lastCreated(name, g + 1).getAsLong();
                    long first = timeline.firstCreated(name, g + 1).getAsLong();
                    assertEquals(population, timeline.memberPods(name, g + 1), name + " generation " + (g + 1));
                    double t = ms(allCreated - lastDone);
                    turnaround.add(t);
                    firstPod.add(ms(first - lastDone));
                    Map<String, Object> s = new LinkedHashMap<>();
                    s.put("repetition", rep);
                    s.put("boundary", g + "->" + (g + 1));
                    s.put("turnaroundMs", Stats.round(t));
                    s.put("firstPodMs", Stats.round(ms(first - lastDone)));
                    samples.add(s);
                }
                System.out.printf("[bench] %s done: turnarounds so far %s%n", name, turnaround);
            }

            // As the watch first saw them: the operator has deleted these finished pods by now.
            List<Pod> template = timeline.pods("turn-0", 1);
            assertEquals(population, template.size(), "generation 1 of turn-0, as seen");
            floor.addAll(sequentialCreates(cluster, timeline, template, floorRuns));

            Stats ta = Stats.of(turnaround);
            Stats fp = Stats.of(firstPod);
            Stats cs = Stats.of(coldStart);
            Stats fl = Stats.of(floor);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("benchmark", "generation turnaround");
            result.put("population", population);
            result.put("generations", generations);
            result.put("repetitions", repetitions);
            result.put("what", "per generation boundary: last member pod of generation g seen terminal -> all "
                    + population + " member pods of g+1 seen created (one watch in the benchmark JVM); "
                    + "trainers: sh writing a score; mix/export containers: true");
            result.put("turnaroundMs", ta.asMap());
            result.put("firstNextPodMs", fp.asMap());
            result.put("coldStartMs", cs.asMap());
            result.put("baselineSequentialCreatesMs", fl.asMap());
            result.put("baselineWhat", population + " copies of a generation-1 member pod created one after another by "
                    + "a plain client, run by the same test kubelet: first request sent -> last pod seen on the same watch");
            result.put("ratioP50TurnaroundToBaseline", Stats.round(ta.p50() / fl.p50()));
            result.put("operatorReconciles", operator.times.execution().size());
            result.put("samples", samples);
            result.put("environment", BenchReport.environment());
            result.put("wallSeconds", Math.round(ms(System.nanoTime() - t0) / 1000));

            String md = """
                    ## Generation turnaround, population %d, %d generations × %d repetitions

                    | milliseconds | n | p50 | p90 | p99 | max |
                    |---|---|---|---|---|---|
                    %s
                    %s
                    %s
                    %s

                    p50 turnaround / p50 baseline = %.2f. Percentiles by nearest rank: with %d samples (< 100), p99 is the largest.
                    """.formatted(population, generations, repetitions,
                    ta.row("turnaround: last pod of g terminal → all pods of g+1 created"),
                    fp.row("… → first pod of g+1 created"),
                    cs.row("cold start: search created → all generation-0 pods created"),
                    fl.row("baseline: " + population + " sequential pod creates by a plain client"),
                    ta.p50() / fl.p50(), ta.n());
            BenchReport.write("turnaround", result, md);
            assertEquals(repetitions * (generations - 1), turnaround.size());
            assertTrue(ta.p50() > 0);
        }
    }

    /** Creates and runs one search to completion; returns when it was created (nanoTime). */
    private static long runSearch(BenchCluster cluster, PodTimeline timeline, String name, int population,
            int generations) throws Exception {
        PbtNasSearch search = cluster.client.resources(PbtNasSearch.class).load(new ByteArrayInputStream(
                BenchCluster.searchYaml(name, population, generations).getBytes(StandardCharsets.UTF_8))).item();
        search.getMetadata().setNamespace(cluster.namespace);
        long created = System.nanoTime();
        cluster.client.resource(search).create();
        cluster.client.resources(PbtNasSearch.class).inNamespace(cluster.namespace).withName(name)
                .waitUntilCondition(s -> s != null && s.getStatus() != null && s.getStatus().phase() == Phase.COMPLETE,
                        5, TimeUnit.MINUTES);
        // the watch may lag the search status by a moment
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (timeline.lastTerminal(name, generations - 1).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, name + ": last generation's pods never seen terminal");
            Thread.sleep(50);
        }
        return created;
    }

    /**
     * The floor: the same pods, created back to back by a plain client in the same namespace, so the
     * same test kubelet runs them and competes for the same two cores, as it does with the operator.
     * They carry no {@code pbtnas.io/search} label, so the operator never sees them.
     */
    private static List<Double> sequentialCreates(BenchCluster cluster, PodTimeline timeline, List<Pod> template,
            int runs) throws Exception {
        List<Double> out = new ArrayList<>();
        for (int run = -1; run < runs; run++) { // run -1 warms up
            String group = "floor" + (run + 1);
            List<Pod> pods = new ArrayList<>();
            for (int i = 0; i < template.size(); i++) {
                Pod p = template.get(i);
                Map<String, String> labels = new LinkedHashMap<>(p.getMetadata().getLabels());
                labels.remove(PodLabels.SEARCH);
                labels.put(FLOOR, group);
                pods.add(new PodBuilder().withNewMetadata().withName(group + "-" + i)
                        .withNamespace(cluster.namespace).withLabels(labels).endMetadata()
                        .withSpec(new PodBuilder(p).editSpec().withNodeName(null).endSpec().build().getSpec())
                        .build());
            }
            long start = System.nanoTime();
            for (Pod p : pods) {
                cluster.client.pods().inNamespace(cluster.namespace).resource(p).create();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (timeline.memberPods(FLOOR, group, 1) < pods.size()) {
                assertTrue(System.nanoTime() < deadline, "floor pods never seen");
                Thread.sleep(5);
            }
            if (run >= 0) {
                out.add(ms(timeline.lastCreated(FLOOR, group, 1).getAsLong() - start));
            }
            Thread.sleep(1000); // let the kubelet finish them, as between generations
        }
        return out;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
