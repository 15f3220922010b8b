package io.pbtnas.core.pod;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A trainer environment variable whose value the kubelet reads from a Secret or ConfigMap key, so the
 * value is never written in the search (Kubernetes' own EnvVar with valueFrom, limited to those two).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnvValueFrom(
        @Required
        @JsonPropertyDescription("Name of the variable, e.g. WANDB_API_KEY. Not a PBTNAS_* contract variable, and "
                + "not also a key of trainer.env.")
        String name,
        @Required
        @JsonPropertyDescription("Where the value comes from: exactly one of secretKeyRef and configMapKeyRef.")
        Source valueFrom) {

    /** Exactly one of the two references. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "(has(self.secretKeyRef) ? 1 : 0) + (has(self.configMapKeyRef) ? 1 : 0) == 1",
            message = "spec.trainer.envValueFrom[].valueFrom: give exactly one of secretKeyRef and configMapKeyRef")
    public record Source(
            @JsonPropertyDescription("A key of a Secret in the search's namespace.")
            KeyRef secretKeyRef,
            @JsonPropertyDescription("A key of a ConfigMap in the search's namespace.")
            KeyRef configMapKeyRef) {
    }

    /** A key of a named Secret or ConfigMap. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KeyRef(
            @Required
            @JsonPropertyDescription("Name of the Secret or ConfigMap.")
            String name,
            @Required
            @JsonPropertyDescription("The key whose value becomes the variable's value.")
            String key,
            @JsonPropertyDescription("true: start the trainer without the variable when the object or key is "
                    + "missing. Default false: the pod waits (CreateContainerConfigError, condition Stuck).")
            Boolean optional) {
    }

    public static EnvValueFrom secret(String variable, String secret, String key) {
        return new EnvValueFrom(variable, new Source(new KeyRef(secret, key, null), null));
    }

    public static EnvValueFrom configMap(String variable, String configMap, String key) {
        return new EnvValueFrom(variable, new Source(null, new KeyRef(configMap, key, null)));
    }

    /** The reference in use, or null when the entry gives none (a validation problem). */
    public KeyRef ref() {
        if (valueFrom == null) {
            return null;
        }
        return valueFrom.secretKeyRef() != null ? valueFrom.secretKeyRef() : valueFrom.configMapKeyRef();
    }

    /** "Secret s key k" or "ConfigMap c key k", for messages. */
    public String describeSource() {
        KeyRef ref = ref();
        if (ref == null) {
            return "nothing";
        }
        String kind = valueFrom.secretKeyRef() != null ? "Secret" : "ConfigMap";
        return kind + " '" + ref.name() + "' key '" + ref.key() + "'";
    }

    public boolean optional() {
        KeyRef ref = ref();
        return ref != null && Boolean.TRUE.equals(ref.optional());
    }
}
