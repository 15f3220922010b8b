package io.pbtnas.core.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointLayoutTest {
    @Test
    void atomicWritesReplaceWholeFilesAndLeaveNoTemporaries(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("a/b/history.json");
        AtomicFiles.writeString(f, "{\"v\":1}");
        AtomicFiles.writeString(f, "{\"v\":2}");
        assertEquals("{\"v\":2}", Files.readString(f));
        try (var s = Files.list(f.getParent())) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void pathsFollowTheVolumeLayout() {
        CheckpointLayout l = CheckpointLayout.of(Path.of("/data"), "team-a", "fmnist", "0123456789abcdef");
        assertEquals(Path.of("/data/team-a/fmnist-01234567"), l.root());
        assertEquals(Path.of("/data/team-a/fmnist-01234567/members/3/gen-2"), l.memberDir(3, 2));
        assertEquals(Path.of("/data/team-a/fmnist-01234567/members/3/gen-2/attempt-1"), l.attemptDir(3, 2, 1));
        assertEquals(Path.of("/data/team-a/fmnist-01234567/members/3/gen-2/attempt-1/model.safetensors"),
                l.model(3, 2, 1));
        // A step finished before attempts had directories: its files are in gen-<g>/ itself.
        assertEquals(Path.of("/data/team-a/fmnist-01234567/members/3/gen-2/model.safetensors"),
                l.model(3, 2, CheckpointLayout.LEGACY_ATTEMPT));
        assertEquals(Path.of("/data/team-a/fmnist-01234567/members/3/gen-2/input.safetensors"), l.input(3, 2));
        assertEquals(Path.of("/data/team-a/fmnist-01234567/best/genome.json"), l.bestGenome());
        assertEquals(Path.of("/data/team-a/fmnist-01234567/history.json"), l.history());
        assertEquals(l.model(3, 2, 0), l.resolve(CheckpointLayout.relativeModel(3, 2, 0)));
        assertThrows(IllegalArgumentException.class, () -> l.resolve("../other/model.safetensors"));
        assertThrows(IllegalArgumentException.class, () -> CheckpointLayout.of(Path.of("/d"), "n", "s", "abc"));
    }

    /** A Kubernetes uid has a dash after 8 characters; the folder strips dashes (it once did not, here). */
    @Test
    void aKubernetesUidNamesTheFolderTheOperatorsPodsMount() {
        String uid = "0f3c9a2e-71b4-4d2a-9c1e-5b6a7d8e9f00";
        assertEquals("team-a/fmnist-0f3c9a2e", CheckpointLayout.searchFolder("team-a", "fmnist", uid));
        assertEquals(Path.of("/data/team-a/fmnist-0f3c9a2e"),
                CheckpointLayout.of(Path.of("/data"), "team-a", "fmnist", uid).root());
        assertEquals("fmnist-01234567", CheckpointLayout.searchDirName("fmnist", "0123-4567-89ab"));
    }
}
