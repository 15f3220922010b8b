package io.pbtnas.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads the shared validation table from the classpath (resources {@code validation-cases/}, one case
 * per {@code NN-slug.yaml}, the object before an edit in {@code NN-slug.old.yaml}). Each case file starts
 * with header comments: {@code # verdict: valid|invalid}, {@code # field: spec.x} (invalid cases),
 * {@code # why: ...} and optionally {@code # old: NN-slug.old.yaml}.
 */
public final class ValidationCases {
    static final String DIRECTORY = "validation-cases";

    private ValidationCases() {
    }

    /** Every case, in file-name order. */
    public static List<ValidationCase> all() {
        Map<String, String> files = files();
        List<ValidationCase> out = new ArrayList<>();
        files.keySet().stream().sorted().filter(f -> f.endsWith(".yaml") && !f.endsWith(".old.yaml"))
                .forEach(f -> out.add(parse(f, files.get(f), files)));
        return out;
    }

    static ValidationCase parse(String file, String text, Map<String, String> files) {
        Map<String, String> header = new HashMap<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith("#")) {
                break;
            }
            String body = line.substring(1).strip();
            int colon = body.indexOf(':');
            if (colon > 0) {
                header.put(body.substring(0, colon).strip(), body.substring(colon + 1).strip());
            }
        }
        String verdict = header.get("verdict");
        if (!"valid".equals(verdict) && !"invalid".equals(verdict)) {
            throw new IllegalStateException(file + ": header '# verdict: valid' or '# verdict: invalid' missing");
        }
        boolean valid = "valid".equals(verdict);
        String field = header.getOrDefault("field", "");
        if (!valid && field.isEmpty()) {
            throw new IllegalStateException(file + ": an invalid case needs '# field: <the path a refusal names>'");
        }
        if (!header.containsKey("why")) {
            throw new IllegalStateException(file + ": header '# why: ...' missing");
        }
        Optional<String> old = Optional.ofNullable(header.get("old")).map(o -> {
            String t = files.get(o);
            if (t == null) {
                throw new IllegalStateException(file + ": '# old: " + o + "' names no file in " + DIRECTORY);
            }
            return t;
        });
        return new ValidationCase(file.substring(0, file.length() - ".yaml".length()), text, old, valid, field,
                header.get("why"));
    }

    /** File name → text, from a directory (tests of testkit itself) or from inside the testkit jar. */
    private static Map<String, String> files() {
        URL url = ValidationCases.class.getClassLoader().getResource(DIRECTORY);
        if (url == null) {
            throw new IllegalStateException(DIRECTORY + "/ is not on the classpath (it is in pbtnas-testkit)");
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    return read(jar.getPath(DIRECTORY));
                } catch (FileSystemAlreadyExistsException open) {
                    return read(FileSystems.getFileSystem(uri).getPath(DIRECTORY));
                }
            }
            return read(Path.of(uri));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> read(Path dir) throws IOException {
        Map<String, String> out = new HashMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                out.put(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
