package io.pbtnas.core.safetensors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Whole-file convenience for small files; large files go through the streaming reader and writer. */
public final class Safetensors {
    private Safetensors() {
    }

    /** Writes all tensors in map order, atomically (temporary file, fsync, rename). */
    public static void write(Path target, Map<String, String> metadata, LinkedHashMap<String, Tensor> tensors)
            throws IOException {
        List<TensorSpec> layout = new ArrayList<>(tensors.size());
        tensors.forEach((name, t) -> layout.add(new TensorSpec(name, t.dtype(), t.shape())));
        try (SafetensorsWriter w = SafetensorsWriter.create(target, metadata, layout)) {
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                w.write(e.getKey(), e.getValue());
            }
            w.commit();
        }
    }

    /** Every tensor, in file order. */
    public static LinkedHashMap<String, Tensor> readAll(Path file) throws IOException {
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
            for (TensorInfo t : r.tensors()) {
                out.put(t.name(), r.read(t.name()));
            }
            return out;
        }
    }

    public static Map<String, String> readMetadata(Path file) throws IOException {
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            return r.metadata();
        }
    }
}
