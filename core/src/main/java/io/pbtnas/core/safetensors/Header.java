package io.pbtnas.core.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses and strictly validates a safetensors header; pure apart from the error messages naming the file. */
final class Header {
    /** The same bound as the reference implementation: a header above 100 MB is refused. */
    static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    static final String METADATA_KEY = "__metadata__";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    final Map<String, String> metadata;
    final List<TensorInfo> tensors; // sorted by offset = file order

    private Header(Map<String, String> metadata, List<TensorInfo> tensors) {
        this.metadata = metadata;
        this.tensors = tensors;
    }

    static Header parse(String file, byte[] headerBytes, long dataLength) throws SafetensorsException {
        JsonNode root;
        try {
            String text = new String(headerBytes, StandardCharsets.UTF_8);
            if (!text.startsWith("{")) {
                throw SafetensorsException.of(file, "header does not start with '{': not a safetensors file");
            }
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw SafetensorsException.of(file, "header is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(root instanceof ObjectNode obj)) {
            throw SafetensorsException.of(file, "header must be a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<TensorInfo> tensors = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals(METADATA_KEY)) {
                readMetadata(file, e.getValue(), metadata);
            } else {
                tensors.add(readEntry(file, e.getKey(), e.getValue(), dataLength));
            }
        }
        tensors.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        checkContiguous(file, tensors, dataLength);
        return new Header(Collections.unmodifiableMap(metadata), List.copyOf(tensors));
    }

    private static void readMetadata(String file, JsonNode node, Map<String, String> out) throws SafetensorsException {
        if (node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            throw SafetensorsException.of(file, "__metadata__ must be an object of string values");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> m = it.next();
            if (!m.getValue().isTextual()) {
                throw SafetensorsException.of(file, "__metadata__ value of '" + m.getKey()
                        + "' must be a string, got " + m.getValue().getNodeType());
            }
            out.put(m.getKey(), m.getValue().textValue());
        }
    }

    private static TensorInfo readEntry(String file, String name, JsonNode node, long dataLength)
            throws SafetensorsException {
        if (!node.isObject()) {
            throw SafetensorsException.of(file, name, "header entry must be an object with dtype, shape, data_offsets");
        }
        JsonNode dt = node.get("dtype");
        if (dt == null || !dt.isTextual()) {
            throw SafetensorsException.of(file, name, "missing string field 'dtype'");
        }
        DType dtype;
        try {
            dtype = DType.fromCode(dt.textValue());
        } catch (IllegalArgumentException e) {
            throw SafetensorsException.of(file, name, e.getMessage());
        }
        long[] shape = longs(file, name, node.get("shape"), "shape", -1);
        long[] offsets = longs(file, name, node.get("data_offsets"), "data_offsets", 2);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("dtype") && !f.equals("shape") && !f.equals("data_offsets")) {
                throw SafetensorsException.of(file, name, "unknown header field '" + f + "'");
            }
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw SafetensorsException.of(file, name, "data_offsets [" + begin + ", " + end + "] end before begin");
        }
        if (end > dataLength) {
            throw SafetensorsException.of(file, name, "data_offsets [" + begin + ", " + end
                    + "] beyond the data section of " + dataLength + " bytes (file truncated?)");
        }
        long expected;
        try {
            expected = Shapes.byteLength(dtype, shape);
        } catch (ArithmeticException e) {
            throw SafetensorsException.of(file, name, "shape " + Arrays.toString(shape) + " overflows");
        }
        if (expected != end - begin) {
            throw SafetensorsException.of(file, name, dtype.code() + " x shape " + Arrays.toString(shape) + " = "
                    + expected + " bytes but data_offsets [" + begin + ", " + end + "] hold " + (end - begin));
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static long[] longs(String file, String tensor, JsonNode node, String field, int arity)
            throws SafetensorsException {
        if (!(node instanceof ArrayNode arr)) {
            throw SafetensorsException.of(file, tensor, "missing array field '" + field + "'");
        }
        if (arity >= 0 && arr.size() != arity) {
            throw SafetensorsException.of(file, tensor, "'" + field + "' must have " + arity + " entries, got "
                    + arr.size());
        }
        long[] out = new long[arr.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = arr.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw SafetensorsException.of(file, tensor, "'" + field + "' entries must be non-negative integers, got "
                        + v);
            }
            out[i] = v.longValue();
        }
        return out;
    }

    private static void checkContiguous(String file, List<TensorInfo> sorted, long dataLength)
            throws SafetensorsException {
        long cursor = 0;
        for (TensorInfo t : sorted) {
            if (t.begin() < cursor) {
                throw SafetensorsException.of(file, t.name(), "data_offsets [" + t.begin() + ", " + t.end()
                        + "] overlap the previous tensor, which ends at " + cursor);
            }
            if (t.begin() > cursor) {
                throw SafetensorsException.of(file, t.name(), "gap of " + (t.begin() - cursor)
                        + " bytes before data_offsets [" + t.begin() + ", " + t.end() + "]: tensors must be contiguous");
            }
            cursor = t.end();
        }
        if (cursor != dataLength) {
            throw SafetensorsException.of(file, "tensors cover " + cursor + " bytes but the data section has "
                    + dataLength + " (trailing bytes or truncated file)");
        }
    }

    /** The header JSON for a layout, padded with spaces to a multiple of 8 bytes as the reference writer does. */
    static byte[] encode(Map<String, String> metadata, List<TensorInfo> layout) {
        ObjectNode root = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode m = root.putObject(METADATA_KEY);
            metadata.forEach(m::put);
        }
        for (TensorInfo t : layout) {
            ObjectNode e = root.putObject(t.name());
            e.put("dtype", t.dtype().code());
            ArrayNode s = e.putArray("shape");
            for (long d : t.shape()) {
                s.add(d);
            }
            e.putArray("data_offsets").add(t.begin()).add(t.end());
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a safetensors header", e);
        }
        int padded = (json.length + 7) & ~7;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

}
