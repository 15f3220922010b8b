package io.pbtnas.cli.support;

import io.pbtnas.core.checkpoint.CheckpointMetadata;
import io.pbtnas.core.safetensors.Safetensors;
import io.pbtnas.core.safetensors.Tensor;
import io.pbtnas.core.space.Genome;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What a trainer leaves in its output folder, valid for `pbtnas verify`: a real small safetensors file and metrics. */
public final class StepOutputs {
    public static final String GENOME = "{\"cell0\":\"conv3x3\",\"cell1\":\"skip\"}";

    private StepOutputs() {
    }

    /**
     * model.safetensors (one tensor per gene and a head, carrying {@code genome} and {@code epoch}),
     * metrics.json and logs/train.log under {@code dir}; returns {@code dir}.
     */
    public static Path write(Path dir, String genome, int epoch) throws IOException {
        Files.createDirectories(dir.resolve("logs"));
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, String> g : Genome.fromJson(genome).choices().entrySet()) {
            float[] w = new float[4096];
            for (int k = 0; k < w.length; k++) {
                w[k] = (float) Math.sin(++i * 0.01);
            }
            tensors.put(g.getKey() + "." + g.getValue() + ".w", Tensor.ofFloats(new long[] {64, 64}, w));
        }
        tensors.put("head.w", Tensor.ofFloats(new long[] {10}, new float[10]));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(CheckpointMetadata.GENOME, Genome.fromJson(genome).toJson());
        meta.put(CheckpointMetadata.EPOCH, Integer.toString(epoch));
        Safetensors.write(dir.resolve("model.safetensors"), meta, tensors);
        Files.writeString(dir.resolve("metrics.json"), "{\"score\":0.625,\"epoch\":" + epoch + "}");
        Files.writeString(dir.resolve("logs/train.log"), "epoch " + epoch + " done\n");
        return dir;
    }

    /** Every file under {@code dir} by its '/'-separated path relative to it, and its size. */
    public static Map<String, Long> files(Path dir) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(f).toString().replace('\\', '/'), Files.size(f));
            }
        }
        return out;
    }
}
