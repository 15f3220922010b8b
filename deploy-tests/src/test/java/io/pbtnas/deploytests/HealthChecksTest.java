package io.pbtnas.deploytests;

import static io.pbtnas.deploytests.HealthCase.CURRENT;
import static io.pbtnas.deploytests.HealthCase.NO_STATUS;
import static io.pbtnas.deploytests.HealthCase.STALE;
import static io.pbtnas.deploytests.HealthCase.isTrue;
import static io.pbtnas.deploytests.HealthCase.noneTrue;
import static io.pbtnas.deploytests.HealthCase.phase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pbtnas.deploytests.FluxCel.Status;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/health's Argo CD Lua (run by gopher-lua, as Argo CD runs it) and Flux CEL (dev.cel, in Flux's order)
 * on the searches real runs recorded, and on two derived from a recording for the conditions being added.
 */
class HealthChecksTest {
    static final Path LUA = RepoPaths.root().resolve("docs/health/pbtnassearch.lua");
    static final Path FLUX = RepoPaths.root().resolve("docs/health/pbtnassearch-flux.yaml");

    /** Every recorded state, and the verdicts it must get. */
    static final List<HealthCase> RECORDED = List.of(
            new HealthCase("fresh", "created, before the operator saw it", NO_STATUS,
                    "Progressing", List.of("Waiting for the operator"), Status.Unknown),
            new HealthCase("training", "a member's trainer runs",
                    phase("Training").and(CURRENT).and(noneTrue("Paused", "Stuck", "Suspended", "Degraded")),
                    "Progressing", List.of("Generation 0 of 2"), Status.InProgress),
            new HealthCase("stale-observed-generation", "the spec edited, the operator not yet there", STALE,
                    "Progressing", List.of("observe generation 2"), Status.InProgress),
            new HealthCase("paused", "an invalid edit", isTrue("Paused").and(CURRENT),
                    "Degraded", List.of("Paused: ", "spec.trainer.env.PBTNAS_SEED"), Status.Failed),
            new HealthCase("stuck-image-pull", "an image the node cannot pull",
                    isTrue("Stuck").and(phase("Training")).and(CURRENT),
                    "Degraded", List.of("Stuck: ", "(pod fmnist-nopull-m0-g0-a0)", "ErrImagePull"), Status.Failed),
            new HealthCase("stuck-unschedulable", "no node has the nodeSelector's label",
                    isTrue("Stuck").and(phase("Training")).and(CURRENT),
                    "Degraded", List.of("Stuck: ", "(pod pend-m", "Unschedulable"), Status.Failed),
            new HealthCase("suspended", "spec.suspend true", isTrue("Suspended").and(phase("Training")).and(CURRENT),
                    "Suspended", List.of("Suspended at generation 0 of 2"), Status.Current),
            new HealthCase("degraded", "a member failed for good, the search goes on",
                    isTrue("Degraded").and(phase("Training")).and(CURRENT),
                    "Degraded", List.of("Degraded: "), Status.Failed),
            new HealthCase("failed", "every member failed", phase("Failed").and(CURRENT),
                    "Degraded", List.of("Failed: ", "every remaining member failed"), Status.Failed),
            new HealthCase("complete", "every generation trained", phase("Complete").and(CURRENT),
                    "Healthy", List.of("Complete: best member "), Status.Current));

    static final Map<String, HealthCase> BY_NAME = RECORDED.stream()
            .collect(Collectors.toMap(HealthCase::name, Function.identity()));

    static Stream<HealthCase> recorded() {
        return RECORDED.stream();
    }

    final ArgoCdLua lua = ArgoCdLua.require();
    final FluxCel flux = FluxCel.of(fluxEntry());

    static JsonNode fluxEntry() {
        JsonNode doc = Manifests.parse(ServerSideApply.read(FLUX)).get(0);
        JsonNode entries = doc.path("spec").path("healthCheckExprs");
        assertEquals(1, entries.size(), FLUX + " holds one healthCheckExprs entry");
        return entries.get(0);
    }

    @Test
    void everyRecordedFileHasACaseAndEveryCaseARecording() {
        assertEquals(RECORDED.stream().map(HealthCase::name).sorted().toList(), RecordedStatuses.names(),
                "the files under " + RecordedStatuses.dir() + " and the cases here must be the same");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recorded")
    void argoCdAndFluxGiveTheExpectedVerdict(HealthCase c) {
        JsonNode search = RecordedStatuses.load(c.name());
        assertTrue(c.shows().test(search), c.name() + " (" + c.how() + ") must show that state; re-record it: "
                + search.path("status").toPrettyString());

        ArgoCdLua.Verdict argo = lua.health(LUA, search);
        assertEquals(c.argo(), argo.status(), c.name() + ": Argo CD says " + argo);
        c.argoSays().forEach(w -> assertTrue(argo.message().contains(w), c.name() + ": '" + w + "' not in " + argo));

        FluxCel.Result f = flux.evaluate(search);
        assertEquals(c.flux(), f.status(), c.name() + ": Flux says " + f);
    }

    @Test
    void stuckNamesThePodAndTheReasonTheOperatorGave() {
        JsonNode search = RecordedStatuses.load("stuck-image-pull");
        JsonNode stuck = RecordedStatuses.trueCondition(search, "Stuck");
        ArgoCdLua.Verdict argo = lua.health(LUA, search);
        assertEquals("Stuck: " + stuck.path("message").asText(), argo.message());
        assertTrue(argo.message().contains(stuck.path("reason").asText()), argo.message());
    }

    @Test
    void completeGivesTheBestMemberAndItsScore() {
        JsonNode search = RecordedStatuses.load("complete");
        JsonNode best = search.path("status").path("best");
        ArgoCdLua.Verdict argo = lua.health(LUA, search);
        String scored = argo.message().substring(argo.message().indexOf(" scored ") + " scored ".length());
        assertEquals(best.path("score").asDouble(), Double.parseDouble(scored), 0.0, argo.message());
        assertTrue(argo.message().startsWith("Complete: best member " + best.path("member").asInt() + " scored "),
                argo.message());
    }

    /** Queued (Kueue) has no recording yet: the training recording with the condition added. */
    @Test
    void queuedIsProgressingWithTheQueueAndTheWaitingCount() {
        String message = "2 member pods wait for admission by Kueue (LocalQueue team-a)";
        JsonNode search = RecordedStatuses.withCondition(RecordedStatuses.load("training"), "Queued", "True",
                "WaitingForAdmission", message);
        ArgoCdLua.Verdict argo = lua.health(LUA, search);
        assertEquals(new ArgoCdLua.Verdict("Progressing", "Queued: " + message), argo);
        assertEquals(Status.InProgress, flux.evaluate(search).status());

        JsonNode admitted = RecordedStatuses.withCondition(RecordedStatuses.load("training"), "Queued", "False",
                "Admitted", "every member pod is admitted");
        assertEquals("Generation 0 of 2", lua.health(LUA, admitted).message());
    }

    /** StorageUnavailable has no recording yet: the training recording with the condition added. */
    @Test
    void storageUnavailableIsDegraded() {
        String message = "bucket pbtnas-checkpoints: 403 AccessDenied";
        JsonNode search = RecordedStatuses.withCondition(RecordedStatuses.load("training"), "StorageUnavailable",
                "True", "AccessDenied", message);
        assertEquals(new ArgoCdLua.Verdict("Degraded", "StorageUnavailable: " + message), lua.health(LUA, search));
        assertEquals(Status.Failed, flux.evaluate(search).status());
        JsonNode fine = RecordedStatuses.withCondition(RecordedStatuses.load("training"), "StorageUnavailable",
                "False", "Available", "");
        assertEquals("Progressing", lua.health(LUA, fine).status());
        assertEquals(Status.InProgress, flux.evaluate(fine).status());
    }

    /** A Degraded left True at the end (none of the recordings has one: the next generation replaces the member). */
    @Test
    void completeWinsOverADegradedConditionLeftTrue() {
        JsonNode search = RecordedStatuses.withCondition(RecordedStatuses.load("complete"), "Degraded", "True",
                "MembersFailed", "member 1 failed for good in generation 1");
        assertEquals("Healthy", lua.health(LUA, search).status());
        assertEquals(Status.Current, flux.evaluate(search).status());
    }

    /** The fresh search has no status: Flux cannot evaluate `status`, kstatus reports Unknown, and waits on. */
    @Test
    void aFreshSearchIsUnknownToFluxBecauseItHasNoStatusYet() {
        FluxCel.Result f = flux.evaluate(RecordedStatuses.load("fresh"));
        assertTrue(f.error() != null && f.error().contains("status"), f.toString());
    }
}
