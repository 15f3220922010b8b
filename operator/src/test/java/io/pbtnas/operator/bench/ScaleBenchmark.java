package io.pbtnas.operator.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.core.model.Phase;
import io.pbtnas.operator.api.PbtNasSearch;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmark 4: many searches at once on the real API server, the test kubelet finishing pods at
 * once. Reconcile latency (p50/p99, every sample kept), API requests per generation (counted on the
 * operator's client, and by the API server itself), operator heap after the run. Baselines in the
 * same run: an idle period with the operator running (requests/s), and the heap before the searches.
 *
 * <p>Not part of the test suite; run {@code benchmarks/operator/run.sh scale}. Size:
 * {@code -Dpbtnas.bench.searches=20 -Dpbtnas.bench.members=50 -Dpbtnas.bench.generations=4}; it stops
 * after {@code -Dpbtnas.bench.timeoutMinutes=8} and reports the size it reached.
 */
@EnabledIfSystemProperty(named = "pbtnas.bench", matches = "true", disabledReason = "benchmark: benchmarks/operator/run.sh")
class ScaleBenchmark {

    @Test
    void twentySearchesOfFifty() throws Exception {
        int searches = Integer.getInteger("pbtnas.bench.searches", 20);
        int members = Integer.getInteger("pbtnas.bench.members", 50);
        int generations = Integer.getInteger("pbtnas.bench.generations", 4);
        int timeoutMinutes = Integer.getInteger("pbtnas.bench.timeoutMinutes", 8);
        int idleSeconds = Integer.getInteger("pbtnas.bench.idleSeconds", 10);
        long start = System.nanoTime();

        try (BenchCluster cluster = new BenchCluster("scale")) {
            BenchOperator operator = new BenchOperator();
            try {
                Thread.sleep(3000); // informers synced, first requests done
                double heapIdle = Heap.usedAfterGcMiB();

                // Baseline: the operator and kubelet idle, nothing to reconcile.
                Map<String, Long> idleApi0 = ApiServerMetrics.scrape(cluster.client);
                Map<String, Long> idleOp0 = operator.requests.snapshot();
                Thread.sleep(idleSeconds * 1000L);
                Map<String, Long> idleApi = RequestCounter.diff(ApiServerMetrics.scrape(cluster.client), idleApi0);
                Map<String, Long> idleOp = RequestCounter.diff(operator.requests.snapshot(), idleOp0);

                operator.times.reset();
                long timerCount0 = operator.reconcileTimerCount();
                double timerSeconds0 = operator.reconcileTimerSeconds();
                Map<String, Long> api0 = ApiServerMetrics.scrape(cluster.client);
                Map<String, Long> op0 = operator.requests.snapshot();
                Map<String, Long> kubelet0 = cluster.kubeletRequests.snapshot();
                Map<String, Long> bench0 = cluster.benchRequests.snapshot();
                long t0 = System.nanoTime();
                for (int i = 0; i < searches; i++) {
                    PbtNasSearch s = cluster.client.resources(PbtNasSearch.class).load(new ByteArrayInputStream(
                            BenchCluster.searchYaml("s" + i, members, generations).getBytes(StandardCharsets.UTF_8)))
                            .item();
                    s.getMetadata().setNamespace(cluster.namespace);
                    cluster.client.resource(s).create();
                }
                // Progress by polling (one LIST every 2 s, counted among the benchmark's own requests).
                long deadline = t0 + TimeUnit.MINUTES.toNanos(timeoutMinutes);
                int complete = 0;
                int generationsDone = 0;
                while (System.nanoTime() < deadline) {
                    Thread.sleep(2000);
                    List<PbtNasSearch> all = cluster.client.resources(PbtNasSearch.class)
                            .inNamespace(cluster.namespace).list().getItems();
                    complete = (int) all.stream().filter(ScaleBenchmark::isComplete).count();
                    generationsDone = all.stream().mapToInt(s -> generationsDone(s, generations)).sum();
                    System.out.printf("[bench] %.0f s: %d/%d searches complete, %d/%d search-generations done%n",
                            (System.nanoTime() - t0) / 1e9, complete, searches, generationsDone, searches * generations);
                    if (complete == searches) {
                        break;
                    }
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                Map<String, Long> api = RequestCounter.diff(ApiServerMetrics.scrape(cluster.client), api0);
                Map<String, Long> op = RequestCounter.diff(operator.requests.snapshot(), op0);
                Map<String, Long> kubelet = RequestCounter.diff(cluster.kubeletRequests.snapshot(), kubelet0);
                Map<String, Long> bench = RequestCounter.diff(cluster.benchRequests.snapshot(), bench0);
                List<Long> body = operator.times.body();
                List<Long> execution = operator.times.execution();
                List<Long> queued = operator.times.queued();
                long timerCount = operator.reconcileTimerCount() - timerCount0;
                double timerSeconds = operator.reconcileTimerSeconds() - timerSeconds0;

                // Let the export pods (true) finish, then weigh the heap.
                Thread.sleep(5000);
                double heapAfter = Heap.usedAfterGcMiB();
                cluster.stopKubelet();
                double heapAfterKubeletStopped = Heap.usedAfterGcMiB();
                operator.close();
                operator = null;
                double heapAfterOperatorStopped = Heap.usedAfterGcMiB();

                Stats bodyStats = Stats.ofNanosAsMillis(body);
                Stats execStats = Stats.ofNanosAsMillis(execution);
                Stats queuedStats = Stats.ofNanosAsMillis(queued);
                long opTotal = RequestCounter.total(op);
                long apiTotal = RequestCounter.total(api);
                double perGen = generationsDone == 0 ? Double.NaN : (double) opTotal / generationsDone;
                double apiPerGen = generationsDone == 0 ? Double.NaN : (double) apiTotal / generationsDone;
                double idleApiPerSecond = (double) RequestCounter.total(idleApi) / idleSeconds;

                Map<String, Object> result = new LinkedHashMap<>();
                result.put("benchmark", "scale");
                result.put("requested", Map.of("searches", searches, "members", members, "generations", generations));
                result.put("achieved", Map.of("searchesComplete", complete, "searchGenerationsDone", generationsDone,
                        "searchGenerationsRequested", searches * generations));
                result.put("seconds", Stats.round(seconds));
                result.put("reconcileBodyMs", bodyStats.asMap());
                result.put("reconcileBodyWhat", "SearchReconciler.reconcile(), what pbtnas_reconcile_seconds times");
                result.put("pbtnasReconcileTimer", Map.of("count", timerCount, "totalSeconds", Stats.round(timerSeconds)));
                result.put("reconcileExecutionMs", execStats.asMap());
                result.put("reconcileExecutionWhat", "one JOSDK execution, start to finish: the body plus the status patch");
                result.put("reconcileQueuedMs", queuedStats.asMap());
                result.put("operatorRequestsTotal", opTotal);
                result.put("operatorRequestsPerSearchGeneration", Stats.round(perGen));
                result.put("operatorRequestsPerReconcile", Stats.round((double) opTotal / Math.max(1, execution.size())));
                result.put("operatorRequests", op);
                result.put("apiServerRequestsTotal", apiTotal);
                result.put("apiServerRequestsPerSearchGeneration", Stats.round(apiPerGen));
                result.put("apiServerRequests", api);
                result.put("kubeletRequestsTotal", RequestCounter.total(kubelet));
                result.put("benchmarkClientRequestsTotal", RequestCounter.total(bench));
                result.put("idleBaseline", Map.of("seconds", idleSeconds,
                        "apiServerRequestsPerSecond", Stats.round(idleApiPerSecond),
                        "operatorRequests", idleOp, "apiServerRequests", idleApi));
                Map<String, Object> heap = new LinkedHashMap<>();
                heap.put("beforeSearchesMiB", Stats.round(heapIdle));
                heap.put("afterRunMiB", Stats.round(heapAfter));
                heap.put("afterKubeletStoppedMiB", Stats.round(heapAfterKubeletStopped));
                heap.put("afterOperatorStoppedMiB", Stats.round(heapAfterOperatorStopped));
                heap.put("operatorRetainedAfterRunMiB", Stats.round(heapAfterKubeletStopped - heapAfterOperatorStopped));
                heap.put("what", "heap used after 3x System.gc(), one JVM holding operator, test kubelet and benchmark;"
                        + " the operator's share after the run = afterKubeletStopped - afterOperatorStopped");
                result.put("heap", heap);
                result.put("environment", BenchReport.environment());
                result.put("wallSeconds", Math.round((System.nanoTime() - start) / 1e9));

                String md = """
                        ## Scale: %d searches × %d members × %d generations (requested %d × %d × %d)

                        %d/%d searches complete, %d/%d search-generations in %.0f s.

                        | reconcile, milliseconds | n | p50 | p90 | p99 | max |
                        |---|---|---|---|---|---|
                        %s
                        %s
                        %s

                        | API requests | total | per search-generation (%d pods) |
                        |---|---|---|
                        | sent by the operator | %d | %.1f |
                        | served by the API server (all clients) | %d | %.1f |
                        | … of which the test kubelet | %d | %.1f |
                        | idle baseline, API server, per second | %.1f | |

                        | heap used after GC, MiB | |
                        |---|---|
                        | before the searches (operator + kubelet idle) | %.0f |
                        | after the run (operator + kubelet) | %.0f |
                        | after the run, kubelet stopped | %.0f |
                        | after the run, operator also stopped | %.0f |
                        | **operator's share after the run** | **%.0f** |
                        """.formatted(complete == searches ? searches : complete, members, generations,
                        searches, members, generations, complete, searches, generationsDone, searches * generations,
                        seconds,
                        bodyStats.row("reconcile() body (pbtnas_reconcile_seconds)"),
                        execStats.row("whole execution incl. status patch"),
                        queuedStats.row("queued before a reconcile thread took it"),
                        members, opTotal, perGen, apiTotal, apiPerGen,
                        RequestCounter.total(kubelet), (double) RequestCounter.total(kubelet) / Math.max(1, generationsDone),
                        idleApiPerSecond, heapIdle, heapAfter, heapAfterKubeletStopped, heapAfterOperatorStopped,
                        heapAfterKubeletStopped - heapAfterOperatorStopped);
                BenchReport.write("scale", result, md);
                assertTrue(generationsDone > 0, "no search advanced a generation");
                assertTrue(timerCount == body.size(), "pbtnas_reconcile count " + timerCount + " != samples " + body.size());
            } finally {
                if (operator != null) {
                    operator.close();
                }
            }
        }
    }

    private static boolean isComplete(PbtNasSearch s) {
        return s.getStatus() != null && s.getStatus().phase() == Phase.COMPLETE;
    }

    /** Generations this search has finished: all of them once complete, else the generation it is in. */
    private static int generationsDone(PbtNasSearch s, int generations) {
        if (isComplete(s)) {
            return generations;
        }
        Integer g = s.getStatus() == null ? null : s.getStatus().generation();
        return g == null ? 0 : g;
    }
}
