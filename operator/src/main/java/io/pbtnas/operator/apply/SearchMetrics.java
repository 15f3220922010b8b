package io.pbtnas.operator.apply;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/** The operator's Prometheus metrics; one gauge pair per search, counters per search. */
@ApplicationScoped
public class SearchMetrics {
    static final String GENERATION = "pbtnas_search_generation";
    static final String BEST_SCORE = "pbtnas_search_best_score";
    static final String PODS_STARTED = "pbtnas_pods_started";
    static final String PODS_FAILED = "pbtnas_pods_failed";
    static final String RECONCILE = "pbtnas_reconcile";

    private final MeterRegistry registry;
    // Gauges read these holders; values survive until the search is deleted.
    private final Map<String, AtomicReference<double[]>> searches = new ConcurrentHashMap<>();

    public SearchMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void observe(String namespace, String name, int generation, Double bestScore) {
        String key = namespace + "/" + name;
        AtomicReference<double[]> holder = searches.computeIfAbsent(key, k -> {
            AtomicReference<double[]> h = new AtomicReference<>(new double[] {0, Double.NaN});
            Tags tags = Tags.of("namespace", namespace, "search", name);
            Gauge.builder(GENERATION, h, r -> r.get()[0]).tags(tags)
                    .description("Current generation of the search").register(registry);
            Gauge.builder(BEST_SCORE, h, r -> r.get()[1]).tags(tags)
                    .description("Best member score so far (NaN before the first score)").register(registry);
            return h;
        });
        holder.set(new double[] {generation, bestScore == null ? Double.NaN : bestScore});
    }

    public void forget(String namespace, String name) {
        if (searches.remove(namespace + "/" + name) != null) {
            Tags tags = Tags.of("namespace", namespace, "search", name);
            registry.find(GENERATION).tags(tags).meters().forEach(registry::remove);
            registry.find(BEST_SCORE).tags(tags).meters().forEach(registry::remove);
        }
    }

    public void podStarted(String namespace, String name) {
        counter(PODS_STARTED, "Member pods created", namespace, name).increment();
    }

    public void podFailed(String namespace, String name) {
        counter(PODS_FAILED, "Member pods that failed or were deleted before finishing", namespace, name).increment();
    }

    public Timer reconcileTimer() {
        return Timer.builder(RECONCILE).description("Time spent in one reconcile of a PbtNasSearch").register(registry);
    }

    private Counter counter(String metric, String description, String namespace, String name) {
        return Counter.builder(metric).description(description)
                .tags("namespace", namespace, "search", name).register(registry);
    }
}
