package io.pbtnas.operator.pods;

import io.pbtnas.operator.api.PbtNasSearch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.SearchStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * What the export pod reads: the search (spec and the status to export) as the resource's JSON,
 * gzip-compressed, in a ConfigMap owned by the search (so deleting the search deletes it), mounted as
 * a file. Not an environment variable: execve limits one string to 128 KiB, which a status passes at
 * population 64 × 50 generations. Compressed because a ConfigMap holds at most 1 MiB, and the status
 * alone can come near that (etcd's request limit, about 1.5 MiB, bounds the status itself). Pure.
 */
public final class ExportInput {
    public static final String KEY = "search.json.gz";
    public static final String VOLUME = "export-input";
    public static final String MOUNT_PATH = "/etc/pbtnas/export";

    private ExportInput() {}

    public static String configMapName(String search) {
        return search + "-export";
    }

    /** Where the export pod finds the file. */
    public static String file() {
        return MOUNT_PATH + "/" + KEY;
    }

    public static ConfigMap configMap(PbtNasSearch search, SearchSpec spec, SearchStatus status) {
        String name = search.getMetadata().getName();
        return new ConfigMapBuilder()
                .withNewMetadata()
                    .withName(configMapName(name))
                    .withNamespace(search.getMetadata().getNamespace())
                    .withLabels(Map.of(PodLabels.SEARCH, name, PodLabels.ROLE, PodLabels.ROLE_EXPORT))
                    .withOwnerReferences(new OwnerReferenceBuilder()
                            .withApiVersion(search.getApiVersion()).withKind(search.getKind())
                            .withName(name).withUid(search.getMetadata().getUid())
                            .withController(true).withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withImmutable(true)
                .withBinaryData(Map.of(KEY, Base64.getEncoder().encodeToString(gzip(resourceJson(search, spec, status)))))
                .build();
    }

    /**
     * The resource as {@code kubectl get -o json} shows it, which {@code pbtnas export --search} and
     * {@code pbtnas report -f} read. Conditions and observedGeneration are the API's bookkeeping, not
     * part of what is exported.
     */
    static String resourceJson(PbtNasSearch search, SearchSpec spec, SearchStatus status) {
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("apiVersion", search.getApiVersion());
        r.put("kind", search.getKind());
        r.putObject("metadata").put("name", search.getMetadata().getName())
                .put("namespace", search.getMetadata().getNamespace());
        r.set("spec", Json.MAPPER.valueToTree(spec));
        r.set("status", Json.MAPPER.valueToTree(status.withConditions(List.of()).withObservedGeneration(null)));
        return Json.write(r);
    }

    static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        return bytes.toByteArray();
    }
}
