package io.pbtnas.operator.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pbtnas.operator.config.OperatorConfig;
import io.pbtnas.operator.apply.SearchMetrics;
import io.pbtnas.operator.SearchReconciler;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The operator under test: the real {@link SearchReconciler} in a JOSDK {@link Operator}, started
 * in-process the way RestartTest starts its fresh operator (no Quarkus around it), on its own client
 * whose requests are counted, with JOSDK's metrics hook keeping every reconcile time.
 * Settings as in production (application.properties): resync every 2 minutes, JOSDK's default of 50
 * reconcile threads; backoff does not matter (nothing fails).
 */
final class BenchOperator implements AutoCloseable {
    static final OperatorConfig.Settings SETTINGS = new OperatorConfig.Settings("pbtnas/operator:0.1.0", "/data",
            Duration.ofSeconds(10), Duration.ofMinutes(5), true, 1001);
    static final Duration RESYNC = Duration.ofMinutes(2);

    final RequestCounter requests = new RequestCounter();
    final ReconcileTimes times = new ReconcileTimes();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final KubernetesClient client;
    private final Operator operator;

    BenchOperator() {
        // As in production: the reconciler's per-pod DEBUG lines are off (the test profile turns them on).
        java.util.logging.Logger.getLogger("io.pbtnas").setLevel(java.util.logging.Level.INFO);
        client = BenchCluster.countingClient("default", requests);
        operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false).withMetrics(times));
        operator.register(new SearchReconciler(client, SETTINGS, new SearchMetrics(registry), Clock.systemUTC()),
                c -> c.withReconciliationMaxInterval(RESYNC));
        operator.start();
    }

    /** The operator's own {@code pbtnas_reconcile} timer (registered at the first reconcile): a cross-check. */
    long reconcileTimerCount() {
        Timer t = registry.find("pbtnas_reconcile").timer();
        return t == null ? 0 : t.count();
    }

    double reconcileTimerSeconds() {
        Timer t = registry.find("pbtnas_reconcile").timer();
        return t == null ? 0 : t.totalTime(TimeUnit.NANOSECONDS) / 1e9;
    }

    @Override
    public void close() {
        operator.stop();
        client.close();
    }
}
