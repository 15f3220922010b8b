package io.pbtnas.deploytests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Dockerfiles as hack/build-images.sh builds them (buildah 1.28 where there is no Docker): every image
 * takes its uid from the build argument PBTNAS_UID (the chart's trainerPods.runAsUser, passed by the
 * script), none writes a uid of its own, and none uses syntax only BuildKit parses. Every JVM image makes its
 * class-data sharing archive at build, and its launchers start the JVM with it (benchmarks/README.md, section 10).
 */
class DockerfilesTest {
    static final List<String> DOCKERFILES = List.of("operator/Dockerfile", "trainer-image/Dockerfile",
            "trainer-image/Dockerfile.cuda", "examples/byo-trainer/Dockerfile");

    @Test
    void everyImageRunsAsTheBuildArgumentUidAndNoLiteralOne() throws Exception {
        for (String name : DOCKERFILES) {
            String text = Files.readString(RepoPaths.root().resolve(name));
            String code = text.replaceAll("(?m)^\\s*#.*$", "");
            assertTrue(code.contains("ARG PBTNAS_UID"), name + " does not take ARG PBTNAS_UID");
            var users = Pattern.compile("(?m)^USER (.*)$").matcher(code).results().map(m -> m.group(1)).toList();
            assertFalse(users.isEmpty(), name + " has no USER");
            users.forEach(u -> assertEquals("$PBTNAS_UID:$PBTNAS_UID", u, name + ": USER " + u));
            assertFalse(Pattern.compile("--(uid|gid) [0-9]").matcher(code).find(), name + " writes a uid of its own");
            assertFalse(code.contains("<<"), name + " uses a heredoc, which buildah 1.28 cannot parse");
        }
    }

    @Test
    void theBuildScriptPassesTheChartUidToEveryImage() throws Exception {
        String script = Files.readString(RepoPaths.root().resolve("hack/build-images.sh"));
        assertTrue(script.contains("helm/pbtnas/values.yaml") && script.contains("runAsUser"), "uid source");
        assertEquals(2, script.split("--build-arg \"PBTNAS_UID=\\$uid\"", -1).length - 1,
                "docker build and buildah bud both pass PBTNAS_UID");
        for (String name : DOCKERFILES) {
            assertTrue(script.contains(name), "hack/build-images.sh does not build " + name);
        }
    }

    @Test
    void trainerImageLooksUpTheLibtorchVersionThePomShips() throws Exception {
        // The natives jar is left out of the image; DJL then finds libtorch by PYTORCH_VERSION in its cache.
        String text = Files.readString(RepoPaths.root().resolve("trainer-image/Dockerfile"));
        String pom = Files.readString(RepoPaths.root().resolve("pom.xml"));
        var inPom = Pattern.compile("<pytorch-native.version>([^<]+)<").matcher(pom);
        var inDockerfile = Pattern.compile("(?m)^ARG LIBTORCH_VERSION=(\\S+)$").matcher(text);
        assertTrue(inPom.find() && inDockerfile.find(), "pytorch-native.version / ARG LIBTORCH_VERSION");
        assertEquals(inPom.group(1), inDockerfile.group(1), "trainer-image/Dockerfile's LIBTORCH_VERSION");
        assertTrue(text.contains("PYTORCH_VERSION=$LIBTORCH_VERSION"), "the final stage sets PYTORCH_VERSION");
    }

    @Test
    void theRootContextLetsThroughWhatEachRootBuiltDockerfileCopies() throws Exception {
        // operator/Dockerfile and trainer-image/Dockerfile(.cuda) are built with the repository root as
        // context; its .dockerignore excludes everything but what they copy, so a COPY of anything
        // else would fail in the build.
        List<String> allowed = Files.readAllLines(RepoPaths.root().resolve(".dockerignore")).stream()
                .filter(l -> l.startsWith("!")).map(l -> l.substring(1)).toList();
        assertFalse(allowed.isEmpty(), ".dockerignore lets nothing through");
        String script = Files.readString(RepoPaths.root().resolve("hack/build-images.sh"));
        for (String name : List.of("operator/Dockerfile", "trainer-image/Dockerfile", "trainer-image/Dockerfile.cuda")) {
            assertTrue(script.contains(name + " . "), name + " is built with the repository root as context");
            String text = Files.readString(RepoPaths.root().resolve(name));
            var sources = Pattern.compile("(?m)^COPY (?:--chmod=\\S+ )?(?!--from)(\\S+)").matcher(text).results()
                    .map(m -> m.group(1)).toList();
            assertFalse(sources.isEmpty(), name + " copies nothing");
            sources.forEach(src -> assertTrue(allowed.stream().anyMatch(a -> src.startsWith(a) || (src + "/").equals(a)),
                    name + " copies " + src + ", which the root .dockerignore keeps out of the context"));
        }
    }

    /** The images with a class-data archive: Dockerfile, the launcher that maps it, the archive under /opt/pbtnas. */
    record Archived(String dockerfile, String launcher, String archive) {
    }

    static final List<Archived> ARCHIVED = List.of(
            new Archived("operator/Dockerfile", "operator/image/pbtnas", "cli/pbtnas.jsa"),
            new Archived("trainer-image/Dockerfile", "trainer-image/image/pbtnas-java", "trainer.jsa"),
            new Archived("trainer-image/Dockerfile.cuda", "trainer-image/image/pbtnas-java", "trainer.jsa"));

    @Test
    void everyJvmImageMakesItsClassDataArchiveOnceItsJarsAreInPlace() throws Exception {
        for (Archived a : ARCHIVED) {
            String code = Files.readString(RepoPaths.root().resolve(a.dockerfile())).replaceAll("(?m)^\\s*#.*$", "");
            String image = a.launcher().substring(0, a.launcher().indexOf('/'));
            var runs = Pattern.compile("(?m)^RUN (?:\\S+=\\S+ )*pbtnas-cds-archive\\b").matcher(code);
            assertTrue(runs.find(), a.dockerfile() + " does not RUN pbtnas-cds-archive (the class-data archive)");
            assertTrue(code.contains(image + "/image/pbtnas-cds-archive"), a.dockerfile() + " does not copy "
                    + image + "/image/pbtnas-cds-archive");
            int lastJars = Math.max(code.lastIndexOf("COPY --from=natives /opt/pbtnas/lib/"),
                    code.lastIndexOf("COPY cli/target/"));
            assertTrue(lastJars >= 0 && runs.start() > lastJars, a.dockerfile() + ": the archive must be made after the "
                    + "last jar is copied (an archive records each jar's size and time)");
            assertTrue(runs.start() < code.lastIndexOf("USER "), a.dockerfile() + ": the archive is made as root, before USER");
            String script = Files.readString(RepoPaths.root().resolve(image + "/image/pbtnas-cds-archive"));
            assertTrue(script.contains("/opt/pbtnas/" + a.archive()), image + "/image/pbtnas-cds-archive does not make /opt/pbtnas/"
                    + a.archive() + ", the archive " + a.launcher() + " maps");
        }
        for (String name : List.of("trainer-image/Dockerfile", "trainer-image/Dockerfile.cuda")) {
            String text = Files.readString(RepoPaths.root().resolve(name));
            var entrypoint = Pattern.compile("(?m)^ENTRYPOINT \\[(.*)]\\s*$").matcher(text.replace("\\\n", " "));
            assertTrue(entrypoint.find() && entrypoint.group(1).contains("\"pbtnas-java\""),
                    name + ": the trainer must start through pbtnas-java, which maps the archive");
        }
    }

    @Test
    void theLaunchersStartTheJvmWithTheArchiveOnTheClasspathItWasMadeWith(@TempDir Path tmp) throws Exception {
        record Case(String script, String archive, String firstJar, String libDir, List<String> args) {
        }
        List<Case> cases = List.of(
                new Case("operator/image/pbtnas", "cli/pbtnas.jsa", "cli/pbtnas-cli.jar", "cli/lib", List.of("--version")),
                new Case("trainer-image/image/pbtnas-java", "trainer.jsa", null, "lib",
                        List.of("-Xmx1g", "io.pbtnas.trainer.TrainerMain")));
        for (Case c : cases) {
            ImageLauncher l = ImageLauncher.of(c.script(), Files.createDirectories(tmp.resolve(c.libDir().replace('/', '-'))));
            // Created out of order: the classpath must not depend on the directory's order.
            Path b = l.touch(c.libDir() + "/b.jar");
            Path a = l.touch(c.libDir() + "/a.jar");
            String cp = (c.firstJar() == null ? "" : l.touch(c.firstJar()) + ":") + a + ":" + b;
            String[] args = c.args().toArray(String[]::new);
            String name = c.script();

            List<String> none = l.jvm(Map.of(), args);
            assertTrue(none.stream().noneMatch(o -> o.startsWith("-XX:SharedArchiveFile")), name + " without an archive: " + none);
            Path archive = l.touch(c.archive());
            String mapped = "-XX:SharedArchiveFile=" + archive;
            List<String> on = l.jvm(Map.of(), args);
            assertTrue(on.contains(mapped), name + " does not map the archive: " + on);
            assertTrue(on.contains("-XX:+UseCompressedOops"), name + ": an archive maps only with compressed oops: " + on);
            assertEquals(cp, on.get(on.indexOf("-cp") + 1), name + ": the classpath, in a fixed order");
            assertEquals(c.args(), on.subList(on.size() - c.args().size(), on.size()), name + ": the arguments go last");
            List<String> off = l.jvm(Map.of("PBTNAS_CDS", "off"), args);
            assertFalse(off.contains(mapped), name + " with PBTNAS_CDS=off: " + off);
            assertEquals(cp, off.get(off.indexOf("-cp") + 1), name + " with PBTNAS_CDS=off: the same classpath");

            List<String> record = l.jvm(Map.of("PBTNAS_CDS", "record=/x/1.classlist"), args);
            assertTrue(record.contains("-XX:DumpLoadedClassList=/x/1.classlist") && !record.contains(mapped), name + ": " + record);
            List<String> dump = l.jvm(Map.of("PBTNAS_CDS", "dump=/x/all.classlist"), args);
            assertEquals(List.of("-XX:+UseCompressedOops", "-Xshare:dump", "-XX:SharedClassListFile=/x/all.classlist",
                    "-XX:SharedArchiveFile=" + archive, "-cp", cp), dump, name + ": the archive is made with what maps it");

            Processes.Result bad = l.run(Map.of("PBTNAS_CDS", "yes"), args);
            assertEquals(2, bad.exitCode(), name + " with PBTNAS_CDS=yes: " + bad.describe());
            assertTrue(bad.stderr().contains("PBTNAS_CDS must be on or off"), bad.describe());
        }
    }
}
