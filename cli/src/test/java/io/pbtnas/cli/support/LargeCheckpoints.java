package io.pbtnas.cli.support;

import io.pbtnas.core.checkpoint.CheckpointMetadata;
import io.pbtnas.core.checkpoint.InitDistribution;
import io.pbtnas.core.safetensors.DType;
import io.pbtnas.core.safetensors.SafetensorsWriter;
import io.pbtnas.core.safetensors.TensorSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Synthetic checkpoints of a given size for benchmarks and large tests: F32 tensors of
 * {@value #TENSOR_MIB} MiB of random values, tensor i owned by gene {@code cell<i % genes>}, with the
 * genome and an init distribution per tensor, so a mix plan can be run on them. {@link #of} gives
 * core's MixBenchmark's shape: 100 MiB asked is 6 tensors (96 MiB) and 6 genes, 1024 is 64 and 8, so
 * that swapping half the genes always swaps half the bytes. Fewer genes than tensors interleave
 * the parent's and the donor's tensors in the file.
 */
public record LargeCheckpoints(int mib, int genes) {
    public static final int TENSOR_MIB = 16;

    public LargeCheckpoints {
        if (mib < 2 * TENSOR_MIB) {
            throw new IllegalArgumentException("size " + mib + " MiB: at least " + 2 * TENSOR_MIB + " MiB (two tensors)");
        }
        if (genes < 2 || genes > mib / TENSOR_MIB) {
            throw new IllegalArgumentException("genes " + genes + ": between 2 and the " + mib / TENSOR_MIB + " tensors");
        }
    }

    /** 8 genes when the tensors divide by 8, else as many genes as tensors (even), else 2. */
    public static LargeCheckpoints of(int mib) {
        int t = Math.max(2, mib / TENSOR_MIB);
        return new LargeCheckpoints(mib, t % 8 == 0 ? 8 : t % 2 == 0 ? t : 2);
    }

    public int tensors() {
        return mib / TENSOR_MIB;
    }

    /** The search space {"genes":[cell0..]} as JSON, options "a" and "b". */
    public String spaceJson() {
        StringBuilder b = new StringBuilder("{\"genes\":[");
        for (int g = 0; g < genes; g++) {
            b.append(g == 0 ? "" : ",").append("{\"name\":\"cell").append(g).append("\",\"options\":[\"a\",\"b\"]}");
        }
        return b.append("]}").toString();
    }

    /** The first half of the genes: swapping them takes half the child's tensors from the donor. */
    public List<String> halfTheGenes() {
        List<String> names = new ArrayList<>();
        for (int g = 0; g < genes / 2; g++) {
            names.add("cell" + g);
        }
        return names;
    }

    /** Writes one checkpoint: every gene set to {@code option}, values drawn from {@code seed}. */
    public void write(Path file, String option, long seed) throws IOException {
        long elements = TENSOR_MIB * 1024L * 1024 / 4;
        List<TensorSpec> layout = new ArrayList<>();
        Map<String, InitDistribution> init = new LinkedHashMap<>();
        for (int i = 0; i < tensors(); i++) {
            String name = "cell" + (i % genes) + ".layer" + i + ".weight";
            layout.add(new TensorSpec(name, DType.F32, new long[] {elements / 1024, 1024}));
            init.put(name, new InitDistribution.Normal(0, 0.02));
        }
        StringBuilder genome = new StringBuilder("{");
        for (int g = 0; g < genes; g++) {
            genome.append(g == 0 ? "" : ",").append("\"cell").append(g).append("\":\"").append(option).append('"');
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(CheckpointMetadata.GENOME, genome.append('}').toString());
        meta.put(CheckpointMetadata.INIT, InitDistribution.toJson(init));
        Files.createDirectories(file.toAbsolutePath().getParent());
        ByteBuffer chunk = ByteBuffer.allocateDirect(4 << 20).order(ByteOrder.LITTLE_ENDIAN);
        SplittableRandom rng = new SplittableRandom(seed);
        try (SafetensorsWriter w = SafetensorsWriter.create(file, meta, layout)) {
            for (TensorSpec t : layout) {
                for (long left = t.byteLength(); left > 0; left -= chunk.capacity()) {
                    chunk.clear();
                    while (chunk.hasRemaining()) {
                        chunk.putFloat((float) (rng.nextDouble() - 0.5));
                    }
                    chunk.flip();
                    w.writeChunk(t.name(), chunk);
                }
            }
            w.commit();
        }
    }
}
