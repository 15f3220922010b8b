package io.pbtnas.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real process: exit codes reach the caller through System.exit (as the local mode sees them). */
class ProcessExitCodeTest {
    @TempDir
    Path tmp;

    @Test
    void badInputExitsTwoAndHelpExitsZero() throws Exception {
        Path out = tmp.resolve("out");
        Proc bad = java("--genome", "{\"cell0\":\"conv9x9\"}", "--output-dir", out.toString());
        assertEquals(2, bad.code(), bad.output());
        assertTrue(bad.output().contains("option 'conv9x9' is not one of"), bad.output());
        assertEquals(List.of(), TestSupport.filesUnder(out));
        Proc help = java("--help");
        assertEquals(0, help.code(), help.output());
        assertTrue(help.output().contains("PBTNAS_OUTPUT_DIR"), help.output());
    }

    private record Proc(int code, String output) {
    }

    private static Proc java(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), TrainerMain.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("PBTNAS_"));
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "trainer process did not end");
        return new Proc(p.exitValue(), output);
    }
}
