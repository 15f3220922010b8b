package io.pbtnas.core.space;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** One architecture choice: a name, its options, and the tensor-name prefix whose weights it owns. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Gene(
        @Required
        @JsonPropertyDescription("Gene name, e.g. cell0. Unique within the search space.")
        String name,
        @JsonPropertyDescription("Tensor-name prefix owned by this gene; every tensor whose name starts with it "
                + "belongs to the gene. Defaults to '<name>.'. Prefixes of different genes must not overlap.")
        String prefix,
        @Required
        @JsonPropertyDescription("The options this gene can take, e.g. [conv3x3, conv5x5, skip]. Non-empty, unique.")
        List<String> options) {

    public Gene {
        if (prefix == null || prefix.isBlank()) {
            prefix = name == null ? null : name + ".";
        }
        options = options == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(options));
    }

    public Gene(String name, List<String> options) {
        this(name, null, options);
    }

    /** True when this gene owns the (parameter) tensor name. */
    public boolean owns(String parameterName) {
        return prefix != null && parameterName.startsWith(prefix);
    }
}
