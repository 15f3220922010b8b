package io.pbtnas.core.space;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.pbtnas.core.json.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** One architecture: gene name → chosen option, in search-space gene order. JSON: a plain object. */
public record Genome(Map<String, String> choices) {

    @JsonCreator
    public Genome {
        Objects.requireNonNull(choices, "choices");
        choices = Collections.unmodifiableMap(new LinkedHashMap<>(choices));
    }

    @JsonValue
    @Override
    public Map<String, String> choices() {
        return choices;
    }

    public static Genome fromJson(String json) {
        @SuppressWarnings("unchecked")
        Map<String, Object> raw = Json.read(json, LinkedHashMap.class, "genome");
        Map<String, String> out = new LinkedHashMap<>();
        raw.forEach((k, v) -> {
            if (!(v instanceof String s)) {
                throw new IllegalArgumentException("genome: gene '" + k + "' must map to an option string, got " + v);
            }
            out.put(k, s);
        });
        return new Genome(out);
    }

    public String toJson() {
        return Json.write(choices);
    }

    /** The option of {@code gene}; throws when the genome has no such gene. */
    public String get(String gene) {
        String v = choices.get(gene);
        if (v == null) {
            throw new IllegalArgumentException("genome " + choices + " has no gene '" + gene + "'");
        }
        return v;
    }

    /** A copy with one gene changed (order kept). */
    public Genome with(String gene, String option) {
        if (!choices.containsKey(gene)) {
            throw new IllegalArgumentException("genome " + choices + " has no gene '" + gene + "'");
        }
        Map<String, String> copy = new LinkedHashMap<>(choices);
        copy.put(gene, option);
        return new Genome(copy);
    }
}
