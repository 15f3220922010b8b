package io.pbtnas.operator.apply;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pbtnas.operator.pods.ExportInput;

/** Creates and deletes the export pod's ConfigMap ({@link ExportInput}); refusals are handled like a refused pod. */
final class ConfigMapWriter {
    private final KubernetesClient client;

    ConfigMapWriter(KubernetesClient client) {
        this.client = client;
    }

    /** A refusal (quota on configmaps, too large, a webhook) is thrown as {@link PodCreationError}. */
    void create(ConfigMap input) {
        try {
            client.configMaps().inNamespace(input.getMetadata().getNamespace()).resource(input).create();
        } catch (KubernetesClientException e) {
            // 409: created before a restart or by an earlier attempt; a complete search's status does not change.
            if (e.getCode() != 409) {
                throw new PodCreationError("ConfigMap", input.getMetadata().getName(), e);
            }
        }
    }

    /** Once exported the file is not needed; the owner reference would delete it only with the search. */
    void delete(String namespace, String search) {
        try {
            client.configMaps().inNamespace(namespace).withName(ExportInput.configMapName(search)).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }
}
