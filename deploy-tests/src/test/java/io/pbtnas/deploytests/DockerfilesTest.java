package io.pbtnas.deploytests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfiles as hack/build-images.sh builds them (buildah 1.28 where there is no Docker): every image
 * takes its uid from the build argument PBTNAS_UID (the chart's trainerPods.runAsUser, passed by the
 * script), none writes a uid of its own, and none uses syntax only BuildKit parses.
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
}
