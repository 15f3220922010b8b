package io.pbtnas.cli.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The PbtNasSearch CRD this command checks against: the committed crds/pbtnas.io_pbtnassearches.yaml
 * (generated from the operator's model), packaged into the cli jar at build time.
 */
public record Crd(String group, String version, String kind, JsonNode openApiV3Schema) {
    static final String RESOURCE = "pbtnas.io_pbtnassearches.yaml";

    /** The packaged CRD. */
    public static Crd packaged() {
        try (InputStream in = Crd.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not in the cli jar (the build copies it from crds/)");
            }
            return of(new ObjectMapper(new YAMLFactory()).readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CRD's first served version (PbtNasSearch has one, v1alpha1). */
    static Crd of(JsonNode crd) {
        JsonNode spec = crd.path("spec");
        JsonNode version = spec.path("versions").path(0);
        JsonNode schema = version.path("schema").path("openAPIV3Schema");
        if (schema.isMissingNode()) {
            throw new IllegalStateException("the CRD has no spec.versions[0].schema.openAPIV3Schema");
        }
        return new Crd(spec.path("group").asText(), version.path("name").asText(), spec.path("names").path("kind").asText(),
                schema);
    }

    public String apiVersion() {
        return group + "/" + version;
    }
}
