package io.pbtnas.deploytests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Every manifest a user may apply from examples/. */
final class ExampleFiles {
    private ExampleFiles() {}

    static List<Path> manifests() {
        try (Stream<Path> files = Files.walk(RepoPaths.examples())) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + RepoPaths.examples(), e);
        }
    }

    static String relative(Path file) {
        return RepoPaths.root().relativize(file).toString();
    }
}
