package io.pbtnas.deploytests;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Server-side apply of manifests, as `kubectl apply --server-side` would do, against the test API server. */
final class ServerSideApply {
    static final String FIELD_MANAGER = "pbtnas-deploy-tests";

    private ServerSideApply() {}

    static HasMetadata toResource(KubernetesClient client, JsonNode doc) {
        // Generic, not typed: the server must see exactly the manifest (a wrong type would otherwise
        // fail in the client's deserialiser, and prove nothing about the API server's validation).
        return client.getKubernetesSerialization().unmarshal(doc.toString(), GenericKubernetesResource.class);
    }

    static HasMetadata apply(KubernetesClient client, JsonNode doc) {
        return client.resource(toResource(client, doc)).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }

    /** dryRun=All: validated and admitted by the server, never stored. */
    static HasMetadata dryRunApply(KubernetesClient client, JsonNode doc) {
        return client.resource(toResource(client, doc)).dryRun().fieldManager(FIELD_MANAGER).forceConflicts()
                .serverSideApply();
    }

    /** The chart's copy of the committed CRD, applied and Established before anything uses it. */
    static void installCommittedCrds(KubernetesClient client) {
        for (Path file : crdFiles(RepoPaths.chart().resolve("crds"))) {
            for (JsonNode doc : Manifests.parse(read(file))) {
                apply(client, doc);
                String name = doc.path("metadata").path("name").asText();
                client.apiextensions().v1().customResourceDefinitions().withName(name)
                        .waitUntilCondition(ServerSideApply::established, 30, TimeUnit.SECONDS);
            }
        }
    }

    static void installCrd(KubernetesClient client, JsonNode doc) {
        apply(client, doc);
        client.apiextensions().v1().customResourceDefinitions().withName(doc.path("metadata").path("name").asText())
                .waitUntilCondition(ServerSideApply::established, 30, TimeUnit.SECONDS);
    }

    static boolean established(CustomResourceDefinition crd) {
        return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
                && crd.getStatus().getConditions().stream()
                        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    static List<Path> crdFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
