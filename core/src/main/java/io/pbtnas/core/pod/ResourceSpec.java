package io.pbtnas.core.pod;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

/** Container resources of a trainer pod, as Kubernetes quantities. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResourceSpec(
        @JsonPropertyDescription("Resource requests, e.g. {cpu: '2', memory: 4Gi}.")
        Map<String, String> requests,
        @JsonPropertyDescription("Resource limits, e.g. {nvidia.com/gpu: '1'}.")
        Map<String, String> limits) {
}
