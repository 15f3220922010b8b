package io.pbtnas.cli.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.validation.SpecValidator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a PbtNasSearch manifest into the very classes the operator uses, with
 * the same validation rules, and turns every Jackson failure into a message
 * that names the field path ("spec.mixing.shrnk: unknown field ...").
 */
public final class ManifestReader {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private final ObjectMapper yaml = YAMLMapper.builder(new YAMLFactory())
            // A key given twice would silently keep the last value.
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();

    /** Reads {@code file}, or standard input when it is "-". */
    public Manifest read(String file, InputStream stdin) throws ManifestException, IOException {
        if ("-".equals(file)) {
            return parse(new String(stdin.readAllBytes(), StandardCharsets.UTF_8), "<stdin>");
        }
        Path path = Path.of(file);
        try {
            return parse(Files.readString(path), file);
        } catch (NoSuchFileException e) {
            throw new ManifestException(file, List.of("file not found (give the manifest with -f FILE, or -f - for stdin)"));
        }
    }

    /** The longest name the CRD accepts (its CEL rule on metadata.name). */
    public static final int MAX_NAME = 40;

    /** Parses and validates one manifest; {@code source} names it in messages. */
    public Manifest parse(String text, String source) throws ManifestException {
        if (text.isBlank()) {
            throw new ManifestException(source, List.of("empty manifest: expected a PbtNasSearch resource (apiVersion, kind, metadata, spec)"));
        }
        Manifest m;
        try {
            m = yaml.readValue(text, Manifest.class);
        } catch (JsonProcessingException e) {
            throw new ManifestException(source, List.of(JsonErrors.describe(e, "")));
        }
        List<String> problems = new ArrayList<>();
        if (!Manifest.API_VERSION.equals(m.apiVersion())) {
            problems.add("apiVersion: must be " + Manifest.API_VERSION + ", got " + quote(m.apiVersion()));
        }
        if (!Manifest.KIND.equals(m.kind())) {
            problems.add("kind: must be " + Manifest.KIND + ", got " + quote(m.kind()));
        }
        if (m.name() == null || m.name().isBlank()) {
            problems.add("metadata.name: required (a lowercase name such as 'fmnist')");
        } else if (!NAME.matcher(m.name()).matches()) {
            problems.add("metadata.name: must be lowercase letters, digits and '-', got " + quote(m.name()));
        } else if (m.name().length() > MAX_NAME) {
            // The CRD's rule: pod names '<name>-m<member>-g<generation>-a<attempt>' must stay valid.
            problems.add("metadata.name: at most " + MAX_NAME + " characters (as on a cluster, so that pod names "
                    + "'<name>-m<member>-g<generation>-a<attempt>' stay valid), got " + m.name().length()
                    + "; choose a shorter name");
        }
        if (m.spec() == null) {
            problems.add("spec: required (population, generations, searchSpace, trainer, ...)");
        } else {
            problems.addAll(SpecValidator.problems(m.spec()));
        }
        if (!problems.isEmpty()) {
            throw new ManifestException(source, problems);
        }
        return m;
    }

    /** The spec with the paper's defaults filled in: what a run actually uses. */
    public static SearchSpec effectiveSpec(Manifest m) {
        return m.spec().withDefaults();
    }

    private static String quote(String s) {
        return s == null ? "nothing" : "'" + s + "'";
    }

}
