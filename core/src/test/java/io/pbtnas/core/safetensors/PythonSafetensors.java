package io.pbtnas.core.safetensors;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs the standard Python safetensors library on a file; fails (never skips) when it is not installed. */
final class PythonSafetensors {
    static final String INSTALL_HINT = "the interop test needs Python 3 with the standard safetensors library: "
            + "run `pip install safetensors numpy` (CI does this) and rerun";

    private PythonSafetensors() {
    }

    static Path script(String name) {
        Path p = Path.of("src/test/python", name);
        if (!Files.exists(p)) {
            p = Path.of("core/src/test/python", name); // when run from the repository root
        }
        return p;
    }

    static JsonNode inspect(Path file) throws IOException, InterruptedException {
        Process proc;
        try {
            proc = new ProcessBuilder("python3", script("check_written.py").toString(), file.toString())
                    .redirectErrorStream(false).start();
        } catch (IOException e) {
            fail("python3 is not on PATH; " + INSTALL_HINT + " (" + e.getMessage() + ")");
            throw e;
        }
        byte[] out = proc.getInputStream().readAllBytes();
        String err = new String(proc.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!proc.waitFor(60, TimeUnit.SECONDS)) {
            proc.destroyForcibly();
            fail("check_written.py did not finish in 60 s");
        }
        if (proc.exitValue() == 3 || err.contains("ModuleNotFoundError")) {
            fail(INSTALL_HINT + "\n" + err);
        }
        if (proc.exitValue() != 0) {
            fail("the Python safetensors library rejected " + file + " (exit " + proc.exitValue() + "):\n" + err);
        }
        return new ObjectMapper().readTree(out);
    }
}
