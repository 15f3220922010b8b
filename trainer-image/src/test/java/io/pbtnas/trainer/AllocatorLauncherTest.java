package io.pbtnas.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The allocator launcher (image/pbtnas-with-allocator, run from this jar as the cli runs it) on a program
 * that prints the environment it got. The library is a stand-in file given by PBTNAS_JEMALLOC, so the
 * rules are checked whether or not jemalloc is installed (the dynamic loader only warns on stderr about a
 * stand-in it cannot preload); BuiltInTrainerAllocatorTest in the cli checks the real library in the trainer.
 */
class AllocatorLauncherTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err, long pid) {
    }

    /** Runs {@code printf} of LD_PRELOAD, MALLOC_CONF and the shell's pid through the launcher with {@code env}. */
    private Run run(Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(AllocatorLauncher.command(List.of("/bin/sh", "-c",
                "printf '%s|%s|%s' \"${LD_PRELOAD-unset}\" \"${MALLOC_CONF-unset}\" \"$$\"")));
        pb.environment().keySet().removeIf(k -> k.equals("LD_PRELOAD") || k.startsWith("MALLOC_")
                || k.startsWith("PBTNAS_"));
        pb.environment().putAll(env);
        Path err = dir.resolve("stderr");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        return new Run(code, out, Files.readString(err), p.pid());
    }

    private Path library() throws IOException {
        return Files.writeString(dir.resolve("libjemalloc.so.2"), "stand-in");
    }

    @Test
    void preloadsJemallocWithItsSettingsAndExecsTheProgram() throws Exception {
        String lib = library().toString();
        Run r = run(Map.of("PBTNAS_JEMALLOC", lib));
        assertEquals(0, r.code(), r.err());
        assertEquals(lib + "|dirty_decay_ms:-1|" + r.pid(), r.out(),
                "jemalloc preloaded, freed pages kept, and the program is the launcher's own process (exec)");
    }

    @Test
    void keepsTheUsersPreloadAndLetsTheUsersMallocConfWin() throws Exception {
        String lib = library().toString();
        Run r = run(Map.of("PBTNAS_JEMALLOC", lib, "LD_PRELOAD", "/opt/profiler/libhook.so",
                "MALLOC_CONF", "dirty_decay_ms:5000"));
        assertEquals(0, r.code(), r.err());
        // jemalloc reads MALLOC_CONF left to right: a later option overrides an earlier one.
        assertTrue(r.out().startsWith("/opt/profiler/libhook.so:" + lib + "|dirty_decay_ms:-1,dirty_decay_ms:5000|"),
                r.out());
    }

    @Test
    void leavesAPreloadedMallocAlone() throws Exception {
        library();
        Run r = run(Map.of("PBTNAS_JEMALLOC", dir.resolve("libjemalloc.so.2").toString(),
                "LD_PRELOAD", "/usr/lib/libtcmalloc.so.4"));
        assertTrue(r.out().startsWith("/usr/lib/libtcmalloc.so.4|unset|"), r.out());
    }

    @Test
    void glibcOptsOut() throws Exception {
        Run r = run(Map.of("PBTNAS_JEMALLOC", library().toString(), "PBTNAS_ALLOCATOR", "glibc",
                "MALLOC_CONF", "narenas:2"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("unset|narenas:2|"), r.out());
    }

    @Test
    void withoutTheLibraryRunsAsAskedAndSaysWhy() throws Exception {
        Path missing = dir.resolve("nowhere/libjemalloc.so.2");
        Run r = run(Map.of("PBTNAS_JEMALLOC", missing.toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("unset|unset|"), r.out());
        assertTrue(r.err().contains("PBTNAS_JEMALLOC=" + missing + " does not exist"), r.err());
    }

    @Test
    void anUnknownAllocatorIsBadInputNamingTheVariable() throws Exception {
        Run r = run(Map.of("PBTNAS_ALLOCATOR", "tcmalloc"));
        assertEquals(2, r.code());
        assertEquals("", r.out(), "the program does not run");
        assertTrue(r.err().contains("PBTNAS_ALLOCATOR must be jemalloc or glibc, not 'tcmalloc'"), r.err());
    }
}
