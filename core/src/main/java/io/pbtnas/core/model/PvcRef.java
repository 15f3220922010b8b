package io.pbtnas.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A PersistentVolumeClaim in the search's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PvcRef(
        @Required
        @JsonPropertyDescription("Name of a ReadWriteMany PersistentVolumeClaim holding the checkpoints.")
        String claimName) {
}
