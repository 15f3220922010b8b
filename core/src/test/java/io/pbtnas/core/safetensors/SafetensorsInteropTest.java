package io.pbtnas.core.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written by Python's safetensors are read by us, and ours are read by Python's. */
class SafetensorsInteropTest {
    static final Path VECTORS = Path.of("src/test/resources/safetensors");

    @Test
    void readsEveryVectorWrittenByThePythonLibrary() throws Exception {
        JsonNode expected = new ObjectMapper().readTree(VECTORS.resolve("expected.json").toFile());
        for (Iterator<String> files = expected.fieldNames(); files.hasNext(); ) {
            String file = files.next();
            JsonNode want = expected.get(file);
            try (SafetensorsReader r = SafetensorsReader.open(VECTORS.resolve(file))) {
                Map<String, String> meta = new LinkedHashMap<>();
                want.get("metadata").fields().forEachRemaining(e -> meta.put(e.getKey(), e.getValue().asText()));
                assertEquals(meta, r.metadata(), file + " metadata");
                assertEquals(want.get("tensors").size(), r.tensors().size(), file + " tensor count");
                for (Iterator<Map.Entry<String, JsonNode>> it = want.get("tensors").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    checkTensor(file, e.getKey(), e.getValue(), r.read(e.getKey()));
                }
            }
        }
    }

    private static void checkTensor(String file, String name, JsonNode want, Tensor got) {
        String at = file + ":" + name;
        assertEquals(want.get("dtype").asText(), got.dtype().code(), at + " dtype");
        long[] shape = new long[want.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = want.get("shape").get(i).asLong();
        }
        assertArrayEquals(shape, got.shape(), at + " shape");
        JsonNode values = want.get("values");
        int n = values.size();
        assertEquals(n, got.elementCount(), at + " element count");
        ByteBuffer b = got.data();
        for (int i = 0; i < n; i++) {
            JsonNode v = values.get(i);
            switch (got.dtype()) {
                case F64 -> assertEquals(v.asDouble(), b.getDouble(8 * i), at + "[" + i + "]");
                case F32 -> assertEquals((float) v.asDouble(), b.getFloat(4 * i), at + "[" + i + "]");
                case F16 -> assertEquals((float) v.asDouble(), HalfFloats.f16ToFloat(b.getShort(2 * i)), at + "[" + i + "]");
                case BF16 -> assertEquals((float) v.asDouble(), HalfFloats.bf16ToFloat(b.getShort(2 * i)), at + "[" + i + "]");
                case I64 -> assertEquals(v.asLong(), b.getLong(8 * i), at + "[" + i + "]");
                case I32 -> assertEquals(v.asInt(), b.getInt(4 * i), at + "[" + i + "]");
                case U8 -> assertEquals(v.asInt(), b.get(i) & 0xff, at + "[" + i + "]");
            }
        }
    }

    @Test
    void filesFromOurWriterAreReadByThePythonLibrary(@TempDir Path dir) throws Exception {
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("cell0.conv.weight", Tensor.ofFloats(new long[] {2, 3}, new float[] {1, -2, 3.5f, 0, 1e-8f, -7}));
        tensors.put("cell0.conv.bias", Tensor.ofDoubles(new long[] {2}, new double[] {0.125, -1e200}));
        tensors.put("half", Tensor.ofBytes(DType.F16, new long[] {2}, le16(HalfFloats.floatToF16(1.5f),
                HalfFloats.floatToF16(-0.25f))));
        tensors.put("brain", Tensor.ofBytes(DType.BF16, new long[] {1, 2}, le16(HalfFloats.floatToBf16(3f),
                HalfFloats.floatToBf16(-0.5f))));
        tensors.put("optimizer/step/cell0.conv.weight", Tensor.ofLongs(new long[] {}, new long[] {42}));
        tensors.put("ints", Tensor.ofInts(new long[] {3}, new int[] {1, -2, Integer.MIN_VALUE}));
        tensors.put("bytes", Tensor.ofBytes(DType.U8, new long[] {3}, new byte[] {0, (byte) 200, 7}));
        tensors.put("empty", Tensor.ofFloats(new long[] {0, 4}, new float[0]));
        Map<String, String> meta = Map.of("pbtnas.genome", "{\"cell0\":\"conv3x3\"}", "pbtnas.epoch", "2");
        Path file = dir.resolve("ours.safetensors");
        Safetensors.write(file, meta, tensors);

        JsonNode seen = PythonSafetensors.inspect(file);
        Map<String, String> seenMeta = new LinkedHashMap<>();
        seen.get("metadata").fields().forEachRemaining(e -> seenMeta.put(e.getKey(), e.getValue().asText()));
        assertEquals(meta, seenMeta);
        assertEquals(tensors.size(), seen.get("tensors").size());
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            JsonNode t = seen.get("tensors").get(e.getKey());
            assertEquals(e.getValue().dtype().code(), t.get("dtype").asText(), e.getKey());
            List<Long> shape = new java.util.ArrayList<>();
            t.get("shape").forEach(d -> shape.add(d.asLong()));
            assertArrayEquals(e.getValue().shape(), shape.stream().mapToLong(Long::longValue).toArray(), e.getKey());
            assertEquals(HexFormat.of().formatHex(sha.digest(e.getValue().toBytes())), t.get("sha256").asText(),
                    e.getKey() + " bytes");
        }
        // Values as numpy sees them, not just bytes: catches an endianness or dtype mix-up.
        assertEquals(-1e200, seen.get("tensors").get("cell0.conv.bias").get("values").get(1).asDouble());
        assertEquals(3.5, seen.get("tensors").get("cell0.conv.weight").get("values").get(2).asDouble());
        assertEquals(-0.25, seen.get("tensors").get("half").get("values").get(1).asDouble());
        assertEquals(Integer.MIN_VALUE, seen.get("tensors").get("ints").get("values").get(2).asLong());
        assertEquals(200, seen.get("tensors").get("bytes").get("values").get(1).asInt());
        assertEquals(42, seen.get("tensors").get("optimizer/step/cell0.conv.weight").get("values").get(0).asLong());
        assertEquals(List.of(file.getFileName().toString()), listNames(dir), "no temporary file left behind");
    }

    @Test
    void aHeaderPaddedToAlignTheDataIsReadByThePythonLibrary(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("aligned.safetensors");
        float[] values = {1.5f, -2, 1e-8f};
        long residue = 5 * 4096 + 24; // the data starts 20 KiB past a 64 KiB boundary: ~20 KiB of spaces
        try (SafetensorsWriter w = SafetensorsWriter.create(file, Map.of("pbtnas.epoch", "3"),
                List.of(new TensorSpec("w", DType.F32, new long[] {3})), Durability.FSYNC,
                new DataAlignment(residue))) {
            w.write("w", Tensor.ofFloats(new long[] {3}, values));
            w.commit();
        }
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            assertEquals(residue, r.dataStart() % DataAlignment.MODULUS, "data start");
            assertArrayEquals(values, r.read("w").toFloats());
        }
        JsonNode seen = PythonSafetensors.inspect(file);
        assertEquals("3", seen.get("metadata").get("pbtnas.epoch").asText());
        assertEquals(-2.0, seen.get("tensors").get("w").get("values").get(1).asDouble());
        assertEquals(1e-8f, (float) seen.get("tensors").get("w").get("values").get(2).asDouble());
    }

    static byte[] le16(short... values) {
        ByteBuffer b = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : values) {
            b.putShort(v);
        }
        return b.array();
    }

    static List<String> listNames(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
