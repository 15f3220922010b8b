package io.pbtnas.cli;

import io.pbtnas.cli.support.Cli;
import io.pbtnas.core.checkpoint.CheckpointMetadata;
import io.pbtnas.core.safetensors.Safetensors;
import io.pbtnas.core.safetensors.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `pbtnas mix`: the init container of a replaced member's pod. */
class MixCommandTest {
    static final String SPACE = "{\"genes\":[{\"name\":\"cell0\",\"options\":[\"a\",\"b\"]},"
            + "{\"name\":\"cell1\",\"options\":[\"a\",\"b\"]}]}";
    static final String PLAN = "{\"parent\":1,\"donor\":2,\"swappedGenes\":[\"cell1\"],\"shrink\":0.4,"
            + "\"perturb\":0.1,\"seed\":5,\"parentCheckpoint\":\"members/1/gen-0/model.safetensors\","
            + "\"donorCheckpoint\":\"members/2/gen-0/model.safetensors\","
            + "\"output\":\"members/3/gen-1/input.safetensors\"}";

    @TempDir
    Path root;

    @BeforeEach
    void parents() throws Exception {
        write(root.resolve("members/1/gen-0/model.safetensors"), "a", 1f);
        write(root.resolve("members/2/gen-0/model.safetensors"), "b", 2f);
    }

    static void write(Path file, String option, float value) throws Exception {
        LinkedHashMap<String, Tensor> t = new LinkedHashMap<>();
        t.put("cell0.w", Tensor.ofFloats(new long[] {3}, new float[] {value, value, value}));
        t.put("cell1.w", Tensor.ofFloats(new long[] {3}, new float[] {value, value, value}));
        t.put("head.w", Tensor.ofFloats(new long[] {2}, new float[] {value, -value}));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(CheckpointMetadata.GENOME, "{\"cell0\":\"" + option + "\",\"cell1\":\"" + option + "\"}");
        meta.put(CheckpointMetadata.EPOCH, "1");
        meta.put(CheckpointMetadata.INIT, "{\"cell0.w\":\"normal(0,1)\",\"cell1.w\":\"normal(0,1)\","
                + "\"head.w\":\"constant(0)\"}");
        Files.createDirectories(file.getParent());
        Safetensors.write(file, meta, t);
    }

    @Test
    void writesTheChildOnceAndIsIdempotent() throws Exception {
        Cli.Result r = Cli.run("mix", "--root", root.toString(), "--plan", PLAN, "--search-space", SPACE);
        assertEquals(0, r.code(), r.err());
        Path child = root.resolve("members/3/gen-1/input.safetensors");
        var tensors = Safetensors.readAll(child);
        assertArrayEquals(new float[] {1, 1, 1}, tensors.get("cell0.w").toFloats(), "kept from the parent");
        assertArrayEquals(new float[] {1, -1}, tensors.get("head.w").toFloats(), "shared layer from the parent");
        float[] swapped = tensors.get("cell1.w").toFloats();
        for (float v : swapped) {
            // 0.4·2 + 0.1·fresh, fresh ~ N(0,1): never exactly a parent or donor value.
            assertTrue(v != 1f && v != 2f && Math.abs(v - 0.8f) < 0.6f, "shrink-perturbed: " + v);
        }
        assertTrue(Safetensors.readMetadata(child).get(CheckpointMetadata.GENOME).contains("\"cell1\":\"b\""),
                "the child takes the donor's option");
        long modified = Files.getLastModifiedTime(child).toMillis();
        byte[] bytes = Files.readAllBytes(child);

        Cli.Result again = Cli.run("mix", "--root", root.toString(), "--plan", PLAN, "--search-space", SPACE);
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("already done"), again.out());
        assertEquals(modified, Files.getLastModifiedTime(child).toMillis(), "not rewritten");
        assertArrayEquals(bytes, Files.readAllBytes(child));
    }

    @Test
    void badInputExitsWith2AndNamesTheFlagAndField() {
        Cli.Result field = Cli.run("mix", "--root", root.toString(), "--plan", PLAN.replace("\"parent\"", "\"parnt\":1,\"parent\""),
                "--search-space", SPACE);
        assertEquals(2, field.code());
        assertTrue(field.err().contains("--plan.parnt: unknown field"), field.err());

        Cli.Result absent = Cli.run("mix", "--root", root.toString(), "--plan", PLAN.replace("\"parent\":1,", ""),
                "--search-space", SPACE);
        assertEquals(2, absent.code());
        assertTrue(absent.err().contains("--plan.parent: required"), absent.err());

        Cli.Result missing = Cli.run("mix", "--root", root.toString(), "--plan",
                PLAN.replace("members/1/gen-0", "members/7/gen-0"), "--search-space", SPACE);
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("--plan.parentCheckpoint") && missing.err().contains("does not exist"),
                missing.err());

        Cli.Result escape = Cli.run("mix", "--root", root.toString(), "--plan",
                PLAN.replace("members/3/gen-1/input", "../../etc/input"), "--search-space", SPACE);
        assertEquals(2, escape.code());
        assertTrue(escape.err().contains("--plan.output") && escape.err().contains("escapes"), escape.err());

        Cli.Result gene = Cli.run("mix", "--root", root.toString(), "--plan", PLAN.replace("[\"cell1\"]", "[\"cell9\"]"),
                "--search-space", SPACE);
        assertEquals(2, gene.code());
        assertTrue(gene.err().contains("cell9"), gene.err());

        Cli.Result noRoot = Cli.run("mix", "--plan", PLAN, "--search-space", SPACE);
        if (System.getenv("PBTNAS_ROOT") == null) {
            assertEquals(2, noRoot.code());
            assertTrue(noRoot.err().contains("--root: required (give --root or set PBTNAS_ROOT)"), noRoot.err());
        }
        assertFalse(Files.exists(root.resolve("members/3/gen-1/input.safetensors")), "no child left behind");
    }

    @Test
    void aCorruptParentIsAnIoFailureWithExitCode1() throws Exception {
        Path parent = root.resolve("members/1/gen-0/model.safetensors");
        byte[] b = Files.readAllBytes(parent);
        Files.write(parent, java.util.Arrays.copyOf(b, b.length - 5));
        Cli.Result r = Cli.run("mix", "--root", root.toString(), "--plan", PLAN, "--search-space", SPACE);
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("model.safetensors"), r.err());
        assertFalse(Files.exists(root.resolve("members/3/gen-1/input.safetensors")), "no child left behind");
    }

    @Test
    void inputsCanComeFromTheEnvironmentAsInAnInitContainer() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Cli.java(Main.class.getName(), "mix"));
        pb.environment().put("PBTNAS_ROOT", root.toString());
        pb.environment().put("PBTNAS_MIX_PLAN", PLAN);
        pb.environment().put("PBTNAS_SEARCH_SPACE", SPACE);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(Files.isRegularFile(root.resolve("members/3/gen-1/input.safetensors")), out);
    }
}
