package io.pbtnas.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.pbtnas.core.pod.EnvValueFrom;
import io.pbtnas.core.pod.ResourceSpec;
import io.pbtnas.core.pod.TolerationSpec;
import io.pbtnas.core.pod.VolumeMountSpec;
import java.util.List;
import java.util.Map;

/** The program that trains one member for one generation (the trainer contract in DESIGN.md). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainerSpec(
        @JsonPropertyDescription("Container image of the trainer (required on Kubernetes; the local mode uses "
                + "the built-in trainer unless --trainer-command is given).")
        String image,
        @JsonPropertyDescription("Image pull policy: Always, IfNotPresent or Never.")
        String imagePullPolicy,
        @JsonPropertyDescription("Command overriding the image entrypoint.")
        List<String> command,
        @JsonPropertyDescription("Task name passed as PBTNAS_TASK, e.g. fashion-mnist.")
        String task,
        @JsonPropertyDescription("Task arguments passed as JSON in PBTNAS_TASK_ARGS, e.g. {batchSize: 128}.")
        @SchemaFrom(type = com.fasterxml.jackson.databind.JsonNode.class) // any JSON values, not only objects
        Map<String, Object> args,
        @JsonPropertyDescription("Extra environment variables for the trainer.")
        Map<String, String> env,
        @JsonPropertyDescription("Resource requests and limits of each trainer pod (GPUs go here).")
        ResourceSpec resources,
        @JsonPropertyDescription("Node selector of the trainer pods.")
        Map<String, String> nodeSelector,
        @JsonPropertyDescription("Tolerations of the trainer pods.")
        List<TolerationSpec> tolerations,
        @JsonPropertyDescription("Service account of the trainer pods.")
        String serviceAccountName,
        @JsonPropertyDescription("Names of image pull secrets for the trainer image.")
        List<String> imagePullSecrets,
        @JsonPropertyDescription("Longest time one step (one member pod: mix, train, verify) may run, e.g. 30m, 2h "
                + "or 1h30m; it becomes the pod's activeDeadlineSeconds. A step past it is a failed attempt "
                + "(reason DeadlineExceeded) and uses a retry. Unset: no limit.")
        String stepTimeout,
        @JsonPropertyDescription("Trainer environment variables read from a Secret or ConfigMap key by the kubelet, "
                + "so the value is not written in the search, e.g. [{name: WANDB_API_KEY, valueFrom: {secretKeyRef: "
                + "{name: wandb, key: api-key}}}]. The local mode takes each from its own environment instead.")
        List<EnvValueFrom> envValueFrom,
        @JsonPropertyDescription("Labels added to every pod of the search (members, export, cleanup), e.g. for "
                + "cost allocation or a queue. Keys under pbtnas.io/ are pbtnas's own and refused.")
        Map<String, String> labels,
        @JsonPropertyDescription("Annotations added to every pod of the search (members, export, cleanup). Keys "
                + "under pbtnas.io/ and kubectl.kubernetes.io/default-container are pbtnas's own and refused.")
        Map<String, String> annotations,
        @JsonPropertyDescription("PriorityClass of every pod of the search (members, export, cleanup).")
        String priorityClassName,
        @JsonPropertyDescription("Kubernetes affinity (nodeAffinity, podAffinity, podAntiAffinity) of every pod of "
                + "the search (members, export, cleanup), as in a pod spec.")
        Map<String, Object> affinity,
        @JsonPropertyDescription("Extra volumes of each member pod, as in a pod spec, e.g. [{name: dshm, emptyDir: "
                + "{medium: Memory, sizeLimit: 2Gi}}] for PyTorch's shared memory. Not named checkpoints or tmp "
                + "(pbtnas's own). Only the trainer container mounts them (spec.trainer.volumeMounts).")
        List<Map<String, Object>> volumes,
        @JsonPropertyDescription("Where the trainer container mounts spec.trainer.volumes, e.g. [{name: dshm, "
                + "mountPath: /dev/shm}]. Only the trainer container: pbtnas's own init and verify containers "
                + "need none of them.")
        List<VolumeMountSpec> volumeMounts) {

    /** The settings before pod metadata, scheduling extras, volumes and envValueFrom existed. */
    public TrainerSpec(String image, String imagePullPolicy, List<String> command, String task,
            Map<String, Object> args, Map<String, String> env, ResourceSpec resources,
            Map<String, String> nodeSelector, List<TolerationSpec> tolerations, String serviceAccountName,
            List<String> imagePullSecrets, String stepTimeout) {
        this(image, imagePullPolicy, command, task, args, env, resources, nodeSelector, tolerations,
                serviceAccountName, imagePullSecrets, stepTimeout, null, null, null, null, null, null, null);
    }
}
