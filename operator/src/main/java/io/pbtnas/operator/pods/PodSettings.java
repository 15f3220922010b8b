package io.pbtnas.operator.pods;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.TrainerSpec;
import io.pbtnas.operator.api.PbtNasSearch;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What every pod of a search shares: metadata, scheduling and pull settings from spec.trainer, the volumes. Pure. */
final class PodSettings {
    /** spec.trainer.affinity and volumes are plain JSON in core; the Kubernetes model reads them. */
    static final ObjectMapper KUBERNETES_MODEL = new ObjectMapper();

    private PodSettings() {
    }

    /** A pod owned by its search (deleted with it), with spec.trainer's labels and annotations. */
    static ObjectMeta ownedMetadata(PbtNasSearch search, SearchSpec spec, String podName, Map<String, String> labels) {
        return new ObjectMetaBuilder()
                .withName(podName)
                .withNamespace(search.getMetadata().getNamespace())
                .withLabels(labels(spec.trainer(), labels))
                .withAnnotations(spec.trainer().annotations() == null ? null : new HashMap<>(spec.trainer().annotations()))
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion(search.getApiVersion()).withKind(search.getKind())
                        .withName(search.getMetadata().getName()).withUid(search.getMetadata().getUid())
                        .withController(true).withBlockOwnerDeletion(true).build())
                .build();
    }

    /** spec.trainer.labels with ours on top (SpecValidator refuses a user label under pbtnas.io/). */
    static Map<String, String> labels(TrainerSpec trainer, Map<String, String> ours) {
        Map<String, String> all = new LinkedHashMap<>();
        if (trainer.labels() != null) {
            all.putAll(trainer.labels());
        }
        all.putAll(ours);
        return all;
    }

    /** A member pod's spec: the checkpoint volume is the back end's. */
    static PodSpec podSpec(SearchSpec spec, StorageBackend storage) {
        return podSpec(spec, List.of(storage.checkpointVolume()));
    }

    static PodSpec podSpec(SearchSpec spec, List<Volume> volumes) {
        TrainerSpec trainer = spec.trainer();
        return new PodSpecBuilder()
                .withRestartPolicy("Never")
                .withServiceAccountName(trainer.serviceAccountName())
                // No API token unless a member's trainer asks for one (MemberPods.trainerMayCallTheApi).
                .withAutomountServiceAccountToken(false)
                .withPriorityClassName(trainer.priorityClassName())
                .withAffinity(trainer.affinity() == null ? null
                        : KUBERNETES_MODEL.convertValue(trainer.affinity(), Affinity.class))
                .withImagePullSecrets(trainer.imagePullSecrets() == null ? List.of()
                        : trainer.imagePullSecrets().stream().map(LocalObjectReference::new).toList())
                .withNodeSelector(trainer.nodeSelector())
                .withTolerations(tolerations(trainer))
                .withVolumes(new java.util.ArrayList<>(volumes))
                .build();
    }

    private static List<Toleration> tolerations(TrainerSpec trainer) {
        if (trainer.tolerations() == null) {
            return List.of();
        }
        return trainer.tolerations().stream()
                .map(t -> new Toleration(t.effect(), t.key(), t.operator(), t.tolerationSeconds(), t.value()))
                .toList();
    }
}
