package io.pbtnas.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Opt-in: writes a search, the whole object as the API server returns it, to {@code <dir>/<case>.json},
 * so the health checks in docs/health can be tested on statuses real runs produced (deploy-tests'
 * resources {@code health/statuses}). Off unless system property {@value #PROPERTY} or env
 * {@value #ENV} names the directory; then every call writes. Registry host names and the node's DNS
 * server in status texts (a failed pull's message quotes them) are replaced by {@code <registry>} and
 * {@code <dns>}: they are this machine's, and the repository names no registry host.
 */
public final class StatusRecorder {
    public static final String PROPERTY = "pbtnas.recordStatuses";
    public static final String ENV = "PBTNAS_RECORD_STATUSES";
    static final String API_VERSION = "pbtnas.io/v1alpha1";
    static final String KIND = "PbtNasSearch";

    private StatusRecorder() {}

    /** The directory to record into, if recording is on. */
    static Optional<Path> directory(Properties props, Map<String, String> env) {
        String dir = props.getProperty(PROPERTY);
        if (dir == null || dir.isBlank()) {
            dir = env.get(ENV);
        }
        return dir == null || dir.isBlank() ? Optional.empty() : Optional.of(Path.of(dir));
    }

    public static boolean enabled() {
        return directory(System.getProperties(), System.getenv()).isPresent();
    }

    /** Reads the search now (raw, not through a typed model that could drop a field) and records it. */
    public static void fetch(KubernetesClient client, String namespace, String name, String caseName) {
        if (!enabled()) {
            return;
        }
        GenericKubernetesResource r = client.genericKubernetesResources(API_VERSION, KIND).inNamespace(namespace)
                .withName(name).get();
        if (r == null) {
            throw new IllegalStateException("cannot record " + caseName + ": search " + namespace + "/" + name + " is gone");
        }
        record(client, r, caseName);
    }

    private static void redactStatus(JsonNode node) {
        if (node instanceof ObjectNode o) {
            o.properties().forEach(e -> {
                if (e.getValue().isTextual()) {
                    o.put(e.getKey(), redactHosts(e.getValue().asText()));
                } else {
                    redactStatus(e.getValue());
                }
            });
        } else if (node instanceof ArrayNode a) {
            a.forEach(StatusRecorder::redactStatus);
        }
    }

    /** URLs' hosts, image references' registries and DNS look-ups in a text, replaced. */
    static String redactHosts(String text) {
        return text.replaceAll("https?://[^/\\s\"]+", "https://<registry>")
                .replaceAll("lookup \\S+ on \\S+:53", "lookup <registry> on <dns>:53")
                .replaceAll("\"(?:[a-z0-9-]+\\.)+[a-z0-9-]+(?::\\d+)?/", "\"<registry>/");
    }

    /** Records an object the API server returned (a create's or a patch's response, say). */
    public static void record(KubernetesClient client, GenericKubernetesResource resource, String caseName) {
        Optional<Path> dir = directory(System.getProperties(), System.getenv());
        if (dir.isEmpty()) {
            return;
        }
        try {
            Files.createDirectories(dir.get());
            JsonMapper mapper = JsonMapper.builder().build();
            JsonNode tree = mapper.readTree(client.getKubernetesSerialization().asJson(resource));
            redactStatus(tree.path("status"));
            // pretty, so a re-recording reads as a diff
            Files.writeString(dir.get().resolve(caseName + ".json"),
                    mapper.writerWithDefaultPrettyPrinter().writeValueAsString(tree) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record " + caseName + " into " + dir.get(), e);
        }
    }
}
