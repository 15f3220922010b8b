package io.pbtnas.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A condition's status, as Kubernetes spells it: True, False or Unknown. */
public enum ConditionStatus {
    TRUE("True"), FALSE("False"), UNKNOWN("Unknown");

    private final String code;

    ConditionStatus(String code) {
        this.code = code;
    }

    public static ConditionStatus of(boolean value) {
        return value ? TRUE : FALSE;
    }

    @JsonValue
    public String code() {
        return code;
    }

    public boolean isTrue() {
        return this == TRUE;
    }

    @JsonCreator
    public static ConditionStatus fromCode(String code) {
        for (ConditionStatus s : values()) {
            if (s.code.equalsIgnoreCase(code)) {
                return s;
            }
        }
        return UNKNOWN;
    }
}
