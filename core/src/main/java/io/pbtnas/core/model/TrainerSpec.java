package io.pbtnas.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
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
        String stepTimeout) {
}
