package io.pbtnas.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.layout.CheckpointLayout;
import io.pbtnas.core.model.FailurePolicy;
import io.pbtnas.core.model.MemberStatus;
import io.pbtnas.core.model.Phase;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.core.model.Strategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each attempt has its own directory, and the status says which attempt's files count (DESIGN.md, layout). */
class AttemptsTest {
    static final Map<Integer, Double> SCORES = Map.of(0, 0.7, 1, 0.9, 2, 0.5, 3, 0.1);

    static SearchSpec spec() {
        return new SearchSpec(Strategy.PBT_NAS, 4, 2, 1, null, 7L, null, null, EngineTest.SPACE, null, null, null,
                new FailurePolicy(2, null));
    }

    static List<Action.Train> trains(Decision d) {
        return d.actions().stream().filter(Action.Train.class::isInstance).map(Action.Train.class::cast).toList();
    }

    /** Generation 0 where member 1 fails its first attempt and its retry (attempt 1) succeeds. */
    static SearchStatus generationZeroWithARetry() {
        SearchSpec spec = spec();
        Decision d = Engine.decide(spec, null, List.of());
        List<MemberResult> first = new ArrayList<>();
        for (Action.Train t : trains(d)) {
            first.add(t.member() == 1 ? MemberResult.failed(1, 0, t.attempt(), "trainer exited with code 1")
                    : MemberResult.succeeded(t.member(), 0, t.attempt(), SCORES.get(t.member())));
        }
        d = Engine.decide(spec, d.status(), first);
        Action.Train retry = trains(d).stream().filter(t -> t.member() == 1).findFirst().orElseThrow();
        assertEquals(1, retry.attempt());
        return Engine.decide(spec, d.status(), List.of(MemberResult.succeeded(1, 0, 1, SCORES.get(1)))).status();
    }

    @Test
    void attemptsOfAStepWriteIntoTheirOwnDirectories() {
        Action.Train a0 = new Action.Train(1, 3, 0, 3, 4, null, null, null);
        Action.Train a1 = new Action.Train(1, 3, 1, 3, 4, null, null, null);
        assertEquals("members/1/gen-3/attempt-0", a0.outputDir());
        assertEquals("members/1/gen-3/attempt-1", a1.outputDir());
        assertNotEquals(a0.outputDir(), a1.outputDir());
    }

    @Test
    void theRetriedAttemptCountsAndTheNextGenerationReadsIt() {
        SearchStatus s = generationZeroWithARetry();
        assertEquals(1, s.generation());
        MemberStatus one = s.member(1);
        assertEquals(List.of(1), one.checkpointAttempts());
        assertEquals("members/1/gen-0/attempt-1/model.safetensors", one.checkpointAt(0).orElseThrow());
        assertEquals(List.of(0), s.member(0).checkpointAttempts());
        assertEquals("members/1/gen-0/attempt-1/model.safetensors", s.best().checkpoint(), "best of generation 0");

        Decision d = Engine.decide(spec(), s, List.of());
        Action.Train child = trains(d).stream().filter(t -> t.mix() != null).findFirst().orElseThrow();
        assertEquals(3, child.member(), "the worst member is replaced");
        // Parents are the top two (1 and 0); member 1's files are those of its attempt 1.
        assertEquals(1, child.mix().parent());
        assertEquals("members/1/gen-0/attempt-1/model.safetensors", child.mix().parentCheckpoint());
        assertEquals("members/0/gen-0/attempt-0/model.safetensors", child.mix().donorCheckpoint());
        assertEquals("members/3/gen-1/input.safetensors", child.inputCheckpoint());
        Action.Train survivor = trains(d).stream().filter(t -> t.member() == 1).findFirst().orElseThrow();
        assertEquals("members/1/gen-0/attempt-1/model.safetensors", survivor.inputCheckpoint());
        assertEquals("members/1/gen-1/attempt-0", survivor.outputDir());
    }

    @Test
    void theBestOfTheLastGenerationNamesTheAttemptThatCounted() {
        SearchSpec spec = spec();
        Decision d = Engine.decide(spec, generationZeroWithARetry(), List.of());
        List<MemberResult> r = new ArrayList<>();
        for (Action.Train t : trains(d)) {
            r.add(t.member() == 2 ? MemberResult.failed(2, 1, 0, "oom")
                    : MemberResult.succeeded(t.member(), 1, t.attempt(), SCORES.get(t.member())));
        }
        d = Engine.decide(spec, d.status(), r);
        d = Engine.decide(spec, d.status(), List.of(MemberResult.succeeded(2, 1, 1, 0.99)));
        assertEquals(Phase.COMPLETE, d.status().phase());
        assertEquals(2, d.status().best().member());
        assertEquals("members/2/gen-1/attempt-1/model.safetensors", d.status().best().checkpoint());
        assertEquals("members/2/gen-1/attempt-1/model.safetensors", d.status().member(2).checkpoint());
        assertEquals(List.of(0, 1), d.status().member(2).checkpointAttempts());
    }

    @Test
    void aStatusWrittenBeforeAttemptDirectoriesResumesFromTheOldPaths() {
        // The status a previous version wrote: no checkpointAttempts; its files are in members/<m>/gen-<g>/.
        ObjectNode old = Json.MAPPER.valueToTree(generationZeroWithARetry());
        for (var m : (ArrayNode) old.get("members")) {
            ((ObjectNode) m).remove("checkpointAttempts");
            ((ObjectNode) m).put("checkpoint", "members/" + m.get("id").asInt() + "/gen-0/model.safetensors");
        }
        ((ObjectNode) old.get("best")).put("checkpoint", "members/1/gen-0/model.safetensors");
        SearchStatus resumed = Json.MAPPER.convertValue(old, SearchStatus.class);
        assertEquals(List.of(CheckpointLayout.LEGACY_ATTEMPT), resumed.member(1).checkpointAttempts());

        Decision d = Engine.decide(spec(), resumed, List.of());
        Action.Train child = trains(d).stream().filter(t -> t.mix() != null).findFirst().orElseThrow();
        assertEquals("members/1/gen-0/model.safetensors", child.mix().parentCheckpoint());
        Action.Train survivor = trains(d).stream().filter(t -> t.member() == 0).findFirst().orElseThrow();
        assertEquals("members/0/gen-0/model.safetensors", survivor.inputCheckpoint());
        // New steps get attempt directories.
        assertEquals("members/0/gen-1/attempt-0", survivor.outputDir());
        d = Engine.decide(spec(), d.status(), List.of(MemberResult.succeeded(0, 1, 0, 0.8)));
        assertEquals(List.of(CheckpointLayout.LEGACY_ATTEMPT, 0), d.status().member(0).checkpointAttempts());
        assertTrue(Json.write(d.status()).contains("\"checkpointAttempts\""));
    }
}
