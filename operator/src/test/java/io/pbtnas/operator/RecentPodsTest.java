package io.pbtnas.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecentPodsTest {
    private final MutableClock clock = new MutableClock();
    private final RecentPods recent = new RecentPods(clock, Duration.ofMinutes(2));

    private static Pod pod(String ns, String name, Map<String, String> labels) {
        return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).withLabels(labels).endMetadata()
                .build();
    }

    private static Pod member(String ns, String search, int m) {
        return pod(ns, PodLabels.memberPodName(search, m, 0, 0), PodLabels.member(search, m, 0, 0));
    }

    private static List<String> names(List<Pod> pods) {
        return pods.stream().map(p -> p.getMetadata().getName()).sorted().toList();
    }

    @Test
    void aCreatedPodIsSeenBeforeTheCacheShowsItAndOnlyOnceAfter() {
        Pod a = member("ns", "s", 0);
        Pod b = member("ns", "s", 1);
        recent.created(a);
        recent.created(b);
        assertEquals(List.of("s-m0-g0-a0", "s-m1-g0-a0"), names(recent.withCached("ns", "s", List.of())));
        // The cache caught up with a: it comes from the cache, not twice, and is no longer kept here.
        assertEquals(List.of("s-m0-g0-a0", "s-m1-g0-a0"), names(recent.withCached("ns", "s", List.of(a))));
        assertEquals(1, recent.size());
        assertEquals(List.of("s-m0-g0-a0", "s-m1-g0-a0"), names(recent.withCached("ns", "s", List.of(a, b))));
        assertEquals(0, recent.size());
    }

    @Test
    void searchesAndNamespacesAreKeptApartAndEveryRoleIsKept() {
        recent.created(member("ns", "s", 0));
        recent.created(member("other", "s", 1));
        recent.created(member("ns", "t", 2));
        Pod export = pod("ns", PodLabels.exportPodName("s", 0), PodLabels.export("s", 0));
        recent.created(export);
        assertEquals(List.of("s-export-a0", "s-m0-g0-a0"), names(recent.withCached("ns", "s", List.of())));
        // The cache caught up with the export pod only.
        assertEquals(List.of("s-export-a0", "s-m0-g0-a0"), names(recent.withCached("ns", "s", List.of(export))));
        assertEquals(3, recent.size());
        assertEquals(List.of("s-m1-g0-a0"), names(recent.withCached("other", "s", List.of())));
        recent.forget("ns", "s");
        assertEquals(List.of(), names(recent.withCached("ns", "s", List.of())));
        assertEquals(List.of("t-m2-g0-a0"), names(recent.withCached("ns", "t", List.of())));
    }

    @Test
    void aDeletedPodOrOneTheCacheNeverShowedIsDropped() {
        Pod a = member("ns", "s", 0);
        Pod b = member("ns", "s", 1);
        recent.created(a);
        recent.created(b);
        recent.deleted(a);
        recent.deleted(b);
        assertEquals(0, recent.size());
        recent.created(b);
        assertEquals(List.of("s-m1-g0-a0"), names(recent.withCached("ns", "s", List.of())));
        clock.advance(Duration.ofMinutes(2).plusSeconds(1));
        assertEquals(List.of(), names(recent.withCached("ns", "s", List.of())));
        assertEquals(0, recent.size());
    }

    @Test
    void aPodWithoutASearchLabelIsIgnored() {
        recent.created(pod("ns", "stray", Map.of()));
        assertEquals(0, recent.size());
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-29T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
