package io.pbtnas.core.safetensors;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The element types pbtnas reads and writes, with their safetensors codes. */
public enum DType {
    F64("F64", 8, true),
    F32("F32", 4, true),
    F16("F16", 2, true),
    BF16("BF16", 2, true),
    I64("I64", 8, false),
    I32("I32", 4, false),
    U8("U8", 1, false);

    private final String code;
    private final int size;
    private final boolean floating;

    DType(String code, int size, boolean floating) {
        this.code = code;
        this.size = size;
        this.floating = floating;
    }

    /** Bytes per element. */
    public int size() {
        return size;
    }

    public boolean isFloating() {
        return floating;
    }

    /** The string used in a safetensors header, e.g. "F32". */
    public String code() {
        return code;
    }

    public static DType fromCode(String code) {
        for (DType t : values()) {
            if (t.code.equals(code)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unsupported safetensors dtype '" + code + "'; supported: "
                + Arrays.stream(values()).map(DType::code).collect(Collectors.joining(", ")));
    }
}
