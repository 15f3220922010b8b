package io.pbtnas.deploytests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One of the images' JVM launchers (operator/image/pbtnas, trainer-image/image/pbtnas-java) run outside the image:
 * a copy of the script whose /opt/pbtnas is {@code opt}, with a stand-in {@code java} first on the PATH that
 * prints its arguments one per line. So a test sees the exact JVM command line the image would run.
 */
record ImageLauncher(Path script, Path opt, Path bin) {
    static ImageLauncher of(String script, Path tmp) throws IOException {
        Path opt = Files.createDirectories(tmp.resolve("opt-pbtnas"));
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path copy = tmp.resolve(Path.of(script).getFileName());
        Files.writeString(copy, Files.readString(RepoPaths.root().resolve(script)).replace("/opt/pbtnas", opt.toString()));
        return new ImageLauncher(copy, opt, bin);
    }

    /** An empty file at {@code relative} under the stand-in /opt/pbtnas (a jar, the archive). */
    Path touch(String relative) throws IOException {
        Path p = opt.resolve(relative);
        Files.createDirectories(p.getParent());
        return Files.exists(p) ? p : Files.createFile(p);
    }

    /** Runs the launcher with {@code args}, PBTNAS_CDS and PBTNAS_JAVA_OPTS unset unless {@code env} sets them. */
    Processes.Result run(Map<String, String> env, String... args) {
        Map<String, String> all = new HashMap<>(env);
        all.put("PATH", bin + ":/usr/bin:/bin");
        all.putIfAbsent("PBTNAS_CDS", "");
        all.putIfAbsent("PBTNAS_JAVA_OPTS", "");
        List<String> command = new java.util.ArrayList<>(List.of("/bin/sh", script.toString()));
        command.addAll(List.of(args));
        return Processes.run(command, all, Duration.ofSeconds(30));
    }

    /** The stand-in java's arguments: the JVM command line. */
    List<String> jvm(Map<String, String> env, String... args) {
        Processes.Result r = run(env, args);
        if (r.exitCode() != 0) {
            throw new AssertionError(script.getFileName() + " " + String.join(" ", args) + ": " + r.describe());
        }
        return r.stdout().lines().toList();
    }
}
