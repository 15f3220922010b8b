package io.pbtnas.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.SearchStatus;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * A PbtNasSearch resource as JSON ({@code kubectl get pbtnassearch NAME -o json}, or the file the
 * operator hands its export pod): its name, spec (defaults applied) and status. One reader for
 * {@code pbtnas report -f} and {@code pbtnas export --search}; bad input names the field.
 */
public record SearchResource(String name, SearchSpec spec, SearchStatus status) {

    /** The resource in {@code bytes}: JSON, or gzip-compressed JSON (recognised by its magic bytes). */
    public static SearchResource parse(byte[] bytes) {
        return parse(new String(gunzipIfCompressed(bytes), StandardCharsets.UTF_8));
    }

    public static SearchResource parse(String resourceJson) {
        JsonNode r;
        try {
            r = Json.MAPPER.readTree(resourceJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("input: invalid JSON (" + e.getOriginalMessage() + "); expected the "
                    + "output of kubectl get pbtnassearch NAME -o json");
        }
        if (r == null || !r.isObject() || !"PbtNasSearch".equals(r.path("kind").asText())) {
            throw new IllegalArgumentException("kind: expected a PbtNasSearch resource (kubectl get pbtnassearch "
                    + "NAME -o json), got " + (r == null || !r.isObject() ? "no object" : r.path("kind")));
        }
        String name = r.path("metadata").path("name").asText("search");
        if (!r.has("spec")) {
            throw new IllegalArgumentException("spec: missing; pass the whole resource, not only its status");
        }
        SearchSpec spec;
        try {
            spec = Json.MAPPER.treeToValue(r.get("spec"), SearchSpec.class).withDefaults();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("spec: " + e.getOriginalMessage());
        }
        if (spec.generations() == null) {
            throw new IllegalArgumentException("spec.generations: missing");
        }
        SearchStatus status;
        try {
            status = r.hasNonNull("status") ? Json.MAPPER.treeToValue(r.get("status"), SearchStatus.class)
                    : new SearchStatus(null, null, null, null, null, null, null);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("status: " + e.getOriginalMessage());
        }
        return new SearchResource(name, spec, status);
    }

    private static byte[] gunzipIfCompressed(byte[] bytes) {
        if (bytes.length < 2 || (bytes[0] & 0xff) != 0x1f || (bytes[1] & 0xff) != 0x8b) {
            return bytes;
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalArgumentException("input: gzip data is corrupt (" + e.getMessage() + ")", e);
        }
    }
}
