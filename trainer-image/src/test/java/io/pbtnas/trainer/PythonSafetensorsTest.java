package io.pbtnas.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoint is readable by Python's standard {@code safetensors} package (skipped, and reported as
 * skipped, where python3 with safetensors and numpy is not installed).
 */
class PythonSafetensorsTest {
    private static final String SCRIPT = """
            import json, sys
            from safetensors import safe_open
            from safetensors.numpy import load_file
            f = sys.argv[1]
            t = load_file(f)
            with safe_open(f, "np") as s:
                meta = s.metadata()
            init = json.loads(meta["pbtnas.init"])
            missing = [k for k, v in t.items() if v.dtype.kind == "f" and k not in init]
            assert not missing, missing
            assert t["optimizer/step/stem.conv.weight"].dtype.name == "int64"
            assert t["optimizer/step/stem.conv.weight"].shape == ()
            assert t["cell0.sepconv3x3.depthwise.weight"].shape == (4, 1, 3, 3)
            print(len(t), meta["pbtnas.epoch"], json.loads(meta["pbtnas.genome"])["cell0"])
            """;

    @TempDir
    Path tmp;

    @Test
    void pythonSafetensorsReadsTheCheckpoint() throws Exception {
        assumeTrue(pythonHasSafetensors(), "python3 with safetensors and numpy is not installed");
        Path out = tmp.resolve("out");
        TestSupport.Result r = TestSupport.run(TestSupport.env(out, TestSupport.MIXED, 0, 1, null));
        assertEquals(0, r.exitCode(), r.stderr());
        Process p = new ProcessBuilder("python3", "-c", SCRIPT, out.resolve(TrainerRun.MODEL_FILE).toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), output);
        List<String> words = List.of(output.trim().split(" "));
        assertEquals(List.of("1", "sepconv3x3"), words.subList(1, 3), output);
    }

    private static boolean pythonHasSafetensors() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import safetensors.numpy, numpy")
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
