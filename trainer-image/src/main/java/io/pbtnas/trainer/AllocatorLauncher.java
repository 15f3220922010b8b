package io.pbtnas.trainer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a trainer through the image's allocator launcher ({@code trainer-image/image/pbtnas-with-allocator}:
 * jemalloc preloaded when installed, {@code PBTNAS_ALLOCATOR=glibc} to opt out). Outside the image there is
 * no such file, so the launcher's text, packaged in this jar, runs through {@code /bin/sh -c}: one script
 * decides for the image and for the cli's built-in trainer.
 */
public final class AllocatorLauncher {
    /** The launcher's name, its {@code $0}. */
    public static final String NAME = "pbtnas-with-allocator";
    private static final String SCRIPT = load();

    private AllocatorLauncher() {
    }

    /** {@code program} (executable and arguments) run by the launcher; the process keeps the same pid (exec). */
    public static List<String> command(List<String> program) {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", SCRIPT, NAME));
        argv.addAll(program);
        return List.copyOf(argv);
    }

    private static String load() {
        try (InputStream in = AllocatorLauncher.class.getResourceAsStream(NAME)) {
            if (in == null) {
                throw new IllegalStateException(NAME + " is missing from the trainer's jar (trainer-image/pom.xml "
                        + "packages it from trainer-image/image/)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
