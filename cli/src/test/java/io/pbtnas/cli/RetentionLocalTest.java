package io.pbtnas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.cli.support.Cli;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.engine.Retention;
import io.pbtnas.core.model.MemberStatus;
import io.pbtnas.core.model.SearchStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** storage.keepGenerations in the local mode: old step folders go as the search advances, the rest stays. */
class RetentionLocalTest {
    @Test
    void keepGenerationsOneLeavesOnlyTheLastGenerationTheBestsLineageAndEachMembersLatest(@TempDir Path tmp)
            throws Exception {
        Path manifest = tmp.resolve("m.yaml");
        Files.writeString(manifest, ResumeTest.MANIFEST.replace("generations: 3", "generations: 4")
                .replace("trainer: {task: fake}", "trainer: {task: fake}\n  storage: {keepGenerations: 1}"));
        Path dir = tmp.resolve("work");
        Cli.Result r = Cli.run("run", "-f", manifest.toString(), "--dir", dir.toString(), "--parallel", "2",
                "--trainer-command", Cli.fakeTrainerCommand());
        assertEquals(0, r.code(), r.out() + r.err());
        SearchStatus s = Json.MAPPER.readValue(Files.readString(dir.resolve("status.json")), SearchStatus.class);

        Set<String> onDisk = new TreeSet<>();
        try (Stream<Path> members = Files.list(dir.resolve("members"))) {
            for (Path m : members.toList()) {
                try (Stream<Path> gens = Files.list(m)) {
                    gens.forEach(g -> onDisk.add(dir.relativize(g).toString().replace('\\', '/')));
                }
            }
        }
        Set<String> expected = new TreeSet<>();
        List<String> prunable = Retention.prunable(s, 1);
        for (MemberStatus m : s.members()) {
            for (int g = 0; g < 4; g++) {
                String f = "members/" + m.id() + "/gen-" + g;
                if (!prunable.contains(f)) {
                    expected.add(f);
                }
            }
        }
        assertEquals(expected, onDisk, "exactly what the search still needs is left");
        assertTrue(onDisk.size() < 8 * 4 - 8, "old generations were deleted: " + onDisk);
        assertTrue(onDisk.contains("members/" + s.best().member() + "/gen-3"), "the best's own folder");
        assertTrue(Files.isRegularFile(dir.resolve(s.best().checkpoint())), "the status's best checkpoint");
        for (MemberStatus m : s.members()) {
            assertTrue(Files.isRegularFile(dir.resolve(m.checkpoint())), "member " + m.id() + "'s latest");
        }
        assertTrue(Files.isRegularFile(dir.resolve("best/model.safetensors")));
        assertTrue(r.out().contains("storage.keepGenerations 1: deleted"), r.out());
    }
}
