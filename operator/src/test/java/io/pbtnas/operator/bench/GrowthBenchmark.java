package io.pbtnas.operator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.pbtnas.core.engine.Engine;
import io.pbtnas.core.model.Phase;
import io.pbtnas.operator.api.PbtNasSearch;
import io.pbtnas.operator.apply.StatusPatch;
import io.pbtnas.operator.observe.ObservedSearch;
import io.pbtnas.operator.plan.SearchPlan;
import io.pbtnas.operator.plan.SearchPlanner;
import io.pbtnas.operator.pods.ContainerNames;
import io.pbtnas.operator.pods.PodLabels;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmark 4b: how one reconcile's work grows with population and generations, without an API server.
 * The real {@link SearchPlanner} (observe → {@code Engine.decide} → pods, status) runs on pods kept in
 * memory: the pods each plan creates finish at once with a score, the pods each plan deletes go, and the
 * status each plan makes is the next one's persisted status, as the operator's own loop does. Per
 * generation it times the boundary reconcile (all results in, the next generation planned) and a quiet
 * one (nothing new, a resync), each the least thread CPU time of repeated calls on the same input; and the status patch's
 * JSON bytes. What it leaves out: the API server, the informer and every request (benchmark 4 has those).
 *
 * <p>Run: {@code benchmarks/operator/run.sh growth}; knobs {@code -Dpbtnas.bench.populations=50,200,1024}
 * {@code -Dpbtnas.bench.generations=6} {@code -Dpbtnas.bench.repeats=9}.
 */
@EnabledIfSystemProperty(named = "pbtnas.bench", matches = "true", disabledReason = "benchmark: benchmarks/operator/run.sh")
class GrowthBenchmark {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    /** One measured reconcile: population, generation, and the least thread CPU times in nanoseconds. */
    record Row(int population, int generation, int pods, long decideNanos, long planNanos, long quietPlanNanos,
            long serialiseNanos, int statusBytes) {
        double memberGenerations() {
            return (double) population * (generation + 1);
        }
    }

    @Test
    void decideTimeAndStatusBytesByPopulationAndGeneration() throws Exception {
        int[] populations = Arrays.stream(System.getProperty("pbtnas.bench.populations", "50,200,1024").split(","))
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        int generations = Integer.getInteger("pbtnas.bench.generations", 6);
        int repeats = Integer.getInteger("pbtnas.bench.repeats", 9);
        run(50, 3, 3); // warm-up: the JIT compiles the planner before anything is timed
        List<Row> rows = new ArrayList<>();
        for (int p : populations) {
            rows.addAll(run(p, generations, repeats));
        }
        String md = table(rows, generations, repeats);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "growth");
        json.put("what", "SearchPlanner.plan on pods in memory, no API server; thread CPU time, the least of repeated calls");
        json.put("generations", generations);
        json.put("repeats", repeats);
        json.put("rows", rows);
        json.put("environment", BenchReport.environment());
        BenchReport.write("growth", json, md);
        assertEquals(populations.length * generations, rows.size(), "one row per population and generation");
    }

    /** One search of {@code population} members through {@code generations} generations. */
    static List<Row> run(int population, int generations, int repeats) {
        PbtNasSearch search = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                BenchCluster.searchYaml("g" + population, population, generations), PbtNasSearch.class);
        search.getMetadata().setNamespace("bench");
        search.getMetadata().setUid("00000000-0000-0000-0000-00000000" + String.format("%04d", population % 10000));
        search.getMetadata().setGeneration(1L);
        SearchPlanner planner = new SearchPlanner(BenchOperator.SETTINGS);
        Map<String, Pod> pods = new LinkedHashMap<>();
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        List<Row> rows = new ArrayList<>();
        // Generation 0's pods, then one boundary per generation: all results in, the next generation planned.
        apply(search, pods, planner.plan(ObservedSearch.of(search, List.of()), now));
        finishAll(pods, now);
        while (search.getStatus().phase() == Phase.TRAINING) {
            now = now.plusSeconds(10);
            Instant at = now;
            ObservedSearch seen = ObservedSearch.of(search, List.copyOf(pods.values()));
            long decide = fastest(repeats, () -> Engine.decide(seen.spec(), seen.status(), seen.results()));
            long plan = fastest(repeats, () -> planner.plan(seen, at));
            SearchPlan result = planner.plan(seen, at);
            PbtNasSearch patch = StatusPatch.of(search, result.status());
            long serialise = fastest(repeats, () -> JSON.asJson(patch));
            int bytes = JSON.asJson(patch).getBytes(StandardCharsets.UTF_8).length;
            apply(search, pods, result);
            // A quiet reconcile on what that left (a resync mid-generation): the new pods still running.
            ObservedSearch quiet = ObservedSearch.of(search, List.copyOf(pods.values()));
            long quietPlan = fastest(repeats, () -> planner.plan(quiet, at));
            rows.add(new Row(population, seen.status().generation(), seen.pods().size(), decide, plan, quietPlan,
                    serialise, bytes));
            System.out.printf("[bench] population %d, generation %d: decide %.1f ms, plan %.1f ms, status %d bytes%n",
                    population, seen.status().generation(), decide / 1e6, plan / 1e6, bytes);
            finishAll(pods, now);
        }
        assertEquals(Phase.COMPLETE, search.getStatus().phase(), "population " + population + " did not complete");
        assertTrue(rows.size() == generations, "population " + population + ": " + rows.size() + " boundaries");
        return rows;
    }

    /** As PlanApplier would: the deletes go, the creates are there (not started), the status is persisted. */
    static void apply(PbtNasSearch search, Map<String, Pod> pods, SearchPlan plan) {
        plan.delete().forEach(p -> pods.remove(p.getMetadata().getName()));
        plan.create().forEach(p -> pods.put(p.getMetadata().getName(), p));
        search.setStatus(plan.status());
    }

    static void finishAll(Map<String, Pod> pods, Instant at) {
        pods.replaceAll((name, p) -> p.getStatus() == null ? finished(p, at) : p);
    }

    /** The pod as the test kubelet leaves it: Succeeded, the trainer's termination message holding a score. */
    static Pod finished(Pod pod, Instant at) {
        var labels = pod.getMetadata().getLabels();
        double score = 0.1 + (Math.floorMod((labels.get(PodLabels.MEMBER) + "/" + labels.get(PodLabels.GENERATION))
                .hashCode(), 1000)) / 1000.0;
        return new PodBuilder(pod).editMetadata().withResourceVersion("1").withCreationTimestamp(at.toString())
                .endMetadata()
                .withNewStatus().withPhase("Succeeded").withStartTime(at.toString())
                .withInitContainerStatuses(new ContainerStatusBuilder().withName(ContainerNames.TRAINER)
                        .withNewState().withNewTerminated().withExitCode(0).withMessage("{\"score\": " + score + "}")
                        .withStartedAt(at.toString()).withFinishedAt(at.plusSeconds(5).toString()).endTerminated()
                        .endState().build())
                .endStatus().build();
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * The least CPU time this thread spent in one of {@code repeats} calls: on a shared machine wall time
     * measures the other processes as much as the work (2 cores at load 8 deschedule a 100 ms call several
     * times), and the work is the same each time (pure, same input). Garbage collection is not counted.
     */
    static long fastest(int repeats, Supplier<?> work) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < repeats; i++) {
            long t0 = THREADS.getCurrentThreadCpuTime();
            work.get();
            best = Math.min(best, THREADS.getCurrentThreadCpuTime() - t0);
        }
        return best;
    }

    static String table(List<Row> rows, int generations, int repeats) {
        StringBuilder md = new StringBuilder("""
                ## Growth: one reconcile's work by population and generation (no API server)

                The real `SearchPlanner` on pods in memory (they finish at once); times are the calling thread's CPU time,
                the least of %d calls on the same input (wall time on a loaded machine measures the load).
                A boundary reconcile applies one generation's results and plans the next; a quiet one sees nothing
                new (a resync). Per member × generation: divided by population × (generation + 1), which stays flat
                when the work grows linearly with both.

                | population | generation | pods seen | decide ms | boundary plan ms | quiet plan ms | status JSON ms | status KiB | decide µs per member×gen | quiet plan µs per member×gen | status bytes per member×gen |
                |---|---|---|---|---|---|---|---|---|---|---|
                """.formatted(repeats));
        for (Row r : rows) {
            md.append("| %d | %d | %d | %.2f | %.2f | %.2f | %.2f | %.1f | %.2f | %.2f | %.0f |%n".formatted(
                    r.population(), r.generation(), r.pods(), r.decideNanos() / 1e6, r.planNanos() / 1e6,
                    r.quietPlanNanos() / 1e6, r.serialiseNanos() / 1e6, r.statusBytes() / 1024.0,
                    r.decideNanos() / 1e3 / r.memberGenerations(), r.quietPlanNanos() / 1e3 / r.memberGenerations(),
                    r.statusBytes() / r.memberGenerations()));
        }
        return md.toString();
    }
}
