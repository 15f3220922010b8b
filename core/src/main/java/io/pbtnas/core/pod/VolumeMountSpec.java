package io.pbtnas.core.pod;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Where the trainer container sees one of spec.trainer.volumes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VolumeMountSpec(
        @Required
        @JsonPropertyDescription("Name of a volume in spec.trainer.volumes.")
        String name,
        @Required
        @JsonPropertyDescription("Absolute path in the trainer container, e.g. /dev/shm. Not a path pbtnas mounts "
                + "(/data, /tmp, /pbtnas-volume, /dev/termination-log) nor below one.")
        String mountPath,
        @JsonPropertyDescription("Mount read-only (default false).")
        Boolean readOnly,
        @JsonPropertyDescription("A path inside the volume to mount instead of its root.")
        String subPath) {

    public VolumeMountSpec(String name, String mountPath) {
        this(name, mountPath, null, null);
    }
}
