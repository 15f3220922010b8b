package io.pbtnas.core.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Strict header validation and the writer's all-or-nothing behaviour. */
class SafetensorsValidationTest {
    @TempDir
    Path dir;

    private Path raw(String header, int dataBytes) throws Exception {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path p = dir.resolve("raw-" + System.nanoTime() + ".safetensors");
        Files.write(p, b.array());
        return p;
    }

    private String failure(Path p) {
        return assertThrows(SafetensorsException.class, () -> SafetensorsReader.open(p).close()).getMessage();
    }

    @Test
    void acceptsAWellFormedRawFile() throws Exception {
        Path p = raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"U8\",\"shape\":[3],\"data_offsets\":[8,11]}}", 11);
        try (SafetensorsReader r = SafetensorsReader.open(p)) {
            assertEquals(List.of("a", "b"), r.tensors().stream().map(TensorInfo::name).toList());
            assertEquals(Map.of(), r.metadata());
        }
    }

    @Test
    void rejectsTruncatedFilesNamingTheTensor() throws Exception {
        Path good = dir.resolve("good.safetensors");
        LinkedHashMap<String, Tensor> t = new LinkedHashMap<>();
        t.put("w", Tensor.ofFloats(new long[] {4}, new float[] {1, 2, 3, 4}));
        Safetensors.write(good, Map.of(), t);
        byte[] bytes = Files.readAllBytes(good);
        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 3));
        String m = failure(cut);
        assertTrue(m.contains("'w'") && m.contains("beyond the data section"), m);
        assertTrue(m.contains(cut.toString()), "names the file: " + m);

        Files.write(cut, Arrays.copyOf(bytes, 20));
        assertTrue(failure(cut).contains("exceeds the file size"));
        Files.write(cut, new byte[] {1, 2, 3});
        assertTrue(failure(cut).contains("too short"));
    }

    @Test
    void rejectsBadHeaders() throws Exception {
        assertTrue(failure(raw("[1,2]", 0)).contains("does not start with '{'"));
        assertTrue(failure(raw("{\"a\": ", 0)).contains("not valid JSON"));
        String dup = failure(raw("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},"
                + "\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1));
        assertTrue(dup.contains("Duplicate field 'a'"), dup);
        String meta = failure(raw("{\"__metadata__\":{\"k\":1}}", 0));
        assertTrue(meta.contains("__metadata__ value of 'k' must be a string"), meta);
        String extra = failure(raw("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1],\"x\":1}}", 1));
        assertTrue(extra.contains("tensor 'a'") && extra.contains("unknown header field 'x'"), extra);
        String neg = failure(raw("{\"a\":{\"dtype\":\"U8\",\"shape\":[-1],\"data_offsets\":[0,1]}}", 1));
        assertTrue(neg.contains("non-negative integers"), neg);

        Path huge = dir.resolve("huge.safetensors");
        Files.write(huge, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE).array());
        assertTrue(failure(huge).contains("header length"));
    }

    @Test
    void rejectsWrongDtypesAndSizes() throws Exception {
        String dtype = failure(raw("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2));
        assertTrue(dtype.contains("tensor 'w'") && dtype.contains("unsupported safetensors dtype 'F8_E4M3'"), dtype);
        String size = failure(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8));
        assertTrue(size.contains("tensor 'w'") && size.contains("= 12 bytes") && size.contains("hold 8"), size);
    }

    @Test
    void rejectsOverlapsGapsAndTrailingBytes() throws Exception {
        String overlap = failure(raw("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[2,6]}}", 6));
        assertTrue(overlap.contains("tensor 'b'") && overlap.contains("overlap"), overlap);
        String gap = failure(raw("{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]},"
                + "\"b\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[3,5]}}", 5));
        assertTrue(gap.contains("tensor 'b'") && gap.contains("gap of 1 bytes"), gap);
        String trailing = failure(raw("{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]}}", 5));
        assertTrue(trailing.contains("cover 2 bytes but the data section has 5"), trailing);
    }

    @Test
    void streamsChunksAndCopiesBetweenFiles() throws Exception {
        float[] big = new float[10_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = i * 0.5f;
        }
        Path src = dir.resolve("src.safetensors");
        LinkedHashMap<String, Tensor> t = new LinkedHashMap<>();
        t.put("big", Tensor.ofFloats(new long[] {100, 100}, big));
        t.put("n", Tensor.ofLongs(new long[] {2}, new long[] {5, 6}));
        Safetensors.write(src, Map.of("k", "v"), t);

        Path dst = dir.resolve("dst.safetensors");
        try (SafetensorsReader r = SafetensorsReader.open(src);
             SafetensorsWriter w = SafetensorsWriter.create(dst, r.metadata(),
                     r.tensors().stream().map(TensorInfo::spec).toList())) {
            TensorInfo info = r.info("big");
            ByteBuffer chunk = ByteBuffer.allocate(4096);
            for (long off = 0; off < info.byteLength(); off += chunk.capacity()) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), info.byteLength() - off));
                r.readChunk(info, off, chunk);
                w.writeChunk("big", chunk.flip());
            }
            w.copyFrom(r, "n", "n");
            w.commit();
        }
        assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(dst), "chunked copy is byte-identical");
        try (SafetensorsReader r = SafetensorsReader.open(dst)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            r.copyTo("n", Channels.newChannel(out));
            assertEquals(16, out.size());
            assertArrayEquals(new long[] {5, 6}, r.read("n").toLongs());
            assertEquals("v", r.metadata().get("k"));
        }
    }

    @Test
    void tensorsMayBeWrittenInAnyOrderAndInterleaved() throws Exception {
        Path src = dir.resolve("order-src.safetensors");
        LinkedHashMap<String, Tensor> t = new LinkedHashMap<>();
        t.put("a", Tensor.ofFloats(new long[] {4}, new float[] {1, 2, 3, 4}));
        t.put("b", Tensor.ofLongs(new long[] {3}, new long[] {7, 8, 9}));
        t.put("c", Tensor.ofFloats(new long[] {2}, new float[] {-1, -2}));
        Safetensors.write(src, Map.of("k", "v"), t);
        Path dst = dir.resolve("order-dst.safetensors");
        try (SafetensorsReader r = SafetensorsReader.open(src);
             SafetensorsWriter w = SafetensorsWriter.create(dst, r.metadata(),
                     r.tensors().stream().map(TensorInfo::spec).toList())) {
            w.write("c", r.read("c")); // the last tensor first
            ByteBuffer a = r.read("a").data();
            w.writeChunk("a", a.slice(0, 8)); // a's first half, then b in two copied parts, then a's rest
            assertEquals(16, w.copyNext(r, "b", "b", 16));
            assertEquals(8, w.copyNext(r, "b", "b", 100), "the rest of b");
            assertEquals(0, w.copyNext(r, "b", "b", 100), "b is complete");
            w.writeChunk("a", a.slice(8, 8));
            w.commit();
        }
        assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(dst), "the same file, whatever the order");
    }

    @Test
    void writerRejectsMisuseAndLeavesNoFile() throws Exception {
        Path target = dir.resolve("out.safetensors");
        List<TensorSpec> layout = List.of(new TensorSpec("a", DType.F32, new long[] {2}),
                new TensorSpec("b", DType.I64, new long[] {1}));
        try (SafetensorsWriter w = SafetensorsWriter.create(target, Map.of(), layout)) {
            String unknown = assertThrows(SafetensorsException.class,
                    () -> w.write("c", Tensor.ofLongs(new long[] {1}, new long[] {1}))).getMessage();
            assertTrue(unknown.contains("tensor 'c'") && unknown.contains("not in the declared layout"), unknown);
            String shape = assertThrows(SafetensorsException.class,
                    () -> w.write("a", Tensor.ofFloats(new long[] {1}, new float[] {1}))).getMessage();
            assertTrue(shape.contains("declared F32[2] but given F32[1]"), shape);
            w.writeChunk("a", ByteBuffer.allocate(4)); // half of a
            String twice = assertThrows(SafetensorsException.class,
                    () -> w.write("a", Tensor.ofFloats(new long[] {2}, new float[] {1, 2}))).getMessage();
            assertTrue(twice.contains("already partly written"), twice);
            String over = assertThrows(SafetensorsException.class,
                    () -> w.writeChunk("a", ByteBuffer.allocate(8))).getMessage();
            assertTrue(over.contains("declared 8 bytes but 12 were given"), over);
            String incomplete = assertThrows(SafetensorsException.class, w::commit).getMessage();
            assertTrue(incomplete.contains("tensor 'a'") && incomplete.contains("not completely written (4 of 8"),
                    incomplete);
        }
        assertFalse(Files.exists(target));
        assertEquals(List.of(), SafetensorsInteropTest.listNames(dir), "temporary file removed on close");
        String dupe = assertThrows(SafetensorsException.class, () -> SafetensorsWriter.create(target, Map.of(),
                List.of(new TensorSpec("a", DType.U8, new long[] {1}), new TensorSpec("a", DType.U8, new long[] {1}))))
                .getMessage();
        assertTrue(dupe.contains("declared twice"), dupe);
    }

    @Test
    void tensorAccessorsCheckTheDtype() {
        Tensor t = Tensor.ofLongs(new long[] {1}, new long[] {3});
        String m = assertThrows(IllegalStateException.class, t::toFloats).getMessage();
        assertTrue(m.contains("toFloats() needs a F32 tensor, this one is I64[1]"), m);
        assertThrows(IllegalArgumentException.class, () -> Tensor.ofFloats(new long[] {3}, new float[] {1}));
        assertEquals("unsupported safetensors dtype 'Q4'; supported: F64, F32, F16, BF16, I64, I32, U8",
                assertThrows(IllegalArgumentException.class, () -> DType.fromCode("Q4")).getMessage());
    }
}
