package io.pbtnas.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The images start their trainer with the same JVM options as the cli's built-in trainer, through the image's
 * java launcher (image/pbtnas-java: the classpath in a fixed order and the class-data sharing archive;
 * deploy-tests' DockerfilesTest runs it).
 */
class TrainerJvmTest {
    @Test
    void bothImagesEntrypointsCarryTheTrainersJvmOptions() throws Exception {
        List<String> options = Arrays.asList(TrainerJvm.OPTIONS.split(" "));
        for (String name : List.of("Dockerfile", "Dockerfile.cuda")) {
            String text = Files.readString(Path.of(name)).replace("\\\n", " ");
            var m = Pattern.compile("(?m)^ENTRYPOINT (\\[.*])\\s*$").matcher(text);
            assertTrue(m.find(), name + " has no ENTRYPOINT in exec form");
            List<String> argv = Arrays.asList(new ObjectMapper().readValue(m.group(1), String[].class));
            int java = argv.indexOf("pbtnas-java");
            assertTrue(java >= 0 && argv.get(argv.size() - 1).equals(TrainerMain.class.getName()), name
                    + ": the ENTRYPOINT must start the trainer with pbtnas-java (its classpath and archive): " + argv);
            List<String> jvm = argv.subList(java + 1, argv.size() - 1);
            assertEquals(options, jvm.stream().filter(o -> !o.startsWith("-XX:MaxRAMPercentage")).toList(),
                    name + "'s ENTRYPOINT: its JVM options (but the heap's share) must be TrainerJvm.OPTIONS");
        }
    }
}
