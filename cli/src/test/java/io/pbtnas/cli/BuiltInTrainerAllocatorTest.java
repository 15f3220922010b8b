package io.pbtnas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pbtnas.cli.local.TrainerCommand;
import io.pbtnas.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The built-in trainer of `pbtnas run`/`pbtnas eval` runs on jemalloc when it is installed (scripts/setup.sh
 * installs Debian's libjemalloc2): the trainer, started by the cli's own command line with --engine-info,
 * reports which malloc its process really uses and what was preloaded.
 */
class BuiltInTrainerAllocatorTest {
    static final Path JEMALLOC = Stream.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64",
                    "/usr/lib", "/usr/local/lib")
            .map(d -> Path.of(d, "libjemalloc.so.2")).filter(Files::isRegularFile).findFirst().orElse(null);

    /** The engine event of the built-in trainer started as the cli starts it, with {@code env} added. */
    private static JsonNode engineInfo(Map<String, String> env) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(TrainerCommand.builtIn("-Xmx256m -XX:+UseSerialGC").argv());
        argv.add("--engine-info");
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.equals("LD_PRELOAD") || k.startsWith("MALLOC_")
                || k.startsWith("PBTNAS_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return Json.MAPPER.readTree(out.lines().filter(l -> l.contains("\"engine\"")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no engine event in:\n" + out)));
    }

    private static void needJemalloc() {
        assertTrue(JEMALLOC != null, "libjemalloc.so.2 is not installed: apt-get install libjemalloc2 "
                + "(scripts/setup.sh does)");
    }

    @Test
    void runsOnJemallocWhenItIsInstalled() throws Exception {
        needJemalloc();
        JsonNode info = engineInfo(Map.of());
        assertEquals("jemalloc", info.path("allocator").asText(), info.toString());
        assertEquals(JEMALLOC.toString(), info.path("ldPreload").asText(), info.toString());
    }

    @Test
    void keepsTheUsersPreload() throws Exception {
        needJemalloc();
        // A real library the JVM loads anyway, so preloading it changes nothing else.
        Path zlib = JEMALLOC.resolveSibling("libz.so.1");
        assertTrue(Files.isRegularFile(zlib), zlib + " is missing");
        JsonNode info = engineInfo(Map.of("LD_PRELOAD", zlib.toString()));
        assertEquals(zlib + ":" + JEMALLOC, info.path("ldPreload").asText(), info.toString());
        assertEquals("jemalloc", info.path("allocator").asText(), info.toString());
    }

    @Test
    void glibcOptsOut() throws Exception {
        JsonNode info = engineInfo(Map.of("PBTNAS_ALLOCATOR", "glibc"));
        assertEquals("glibc", info.path("allocator").asText(), info.toString());
        assertFalse(info.has("ldPreload"), info.toString());
    }
}
