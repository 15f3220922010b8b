package io.pbtnas.cli.validate;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * metadata as the API server checks it for a custom resource: its fields are ObjectMeta's (others are
 * unknown), a name is given and is a DNS subdomain, a namespace is a DNS label. Pure.
 */
final class ObjectMetaRules {
    static final Set<String> FIELDS = new TreeSet<>(Set.of("name", "generateName", "namespace", "selfLink", "uid",
            "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
            "labels", "annotations", "ownerReferences", "finalizers", "managedFields"));
    private static final String LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile(LABEL + "(\\." + LABEL + ")*");
    private static final Pattern DNS_LABEL = Pattern.compile(LABEL);

    private ObjectMetaRules() {
    }

    static List<Problem> unknownFields(JsonNode metadata) {
        List<Problem> out = new ArrayList<>();
        if (metadata != null && metadata.isObject()) {
            metadata.fieldNames().forEachRemaining(f -> {
                if (!FIELDS.contains(f)) {
                    out.add(new Problem("metadata." + f, "unknown field (known here: " + String.join(", ", FIELDS)
                            + "); remove it or fix its spelling"));
                }
            });
        }
        return out;
    }

    static List<Problem> problems(JsonNode metadata) {
        List<Problem> out = new ArrayList<>();
        if (metadata == null || !metadata.isObject()) {
            out.add(new Problem("metadata", "Required value; add metadata: {name: <a lower-case name>}"));
            return out;
        }
        JsonNode name = metadata.get("name");
        if (name == null || name.isNull() || (name.isTextual() && name.asText().isEmpty())) {
            if (!metadata.path("generateName").isTextual()) {
                out.add(new Problem("metadata.name", "Required value: name or generateName is required"));
            }
        } else if (!name.isTextual()) {
            out.add(new Problem("metadata.name", "must be a string"));
        } else if (name.asText().length() > 253 || !DNS_SUBDOMAIN.matcher(name.asText()).matches()) {
            out.add(new Problem("metadata.name", "'" + name.asText() + "' is not a lowercase RFC 1123 subdomain: use "
                    + "lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 "
                    + "characters (e.g. fmnist-small)"));
        }
        JsonNode namespace = metadata.get("namespace");
        if (namespace != null && namespace.isTextual() && !namespace.asText().isEmpty()
                && (namespace.asText().length() > 63 || !DNS_LABEL.matcher(namespace.asText()).matches())) {
            out.add(new Problem("metadata.namespace", "'" + namespace.asText() + "' is not a valid namespace name: "
                    + "lower-case letters, digits and '-', at most 63 characters"));
        }
        return out;
    }
}
