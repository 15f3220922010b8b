package io.pbtnas.cli.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The built-in trainer's JVM command line, as `pbtnas run` and `pbtnas eval` start it. */
class TrainerCommandTest {
    static final List<String> TAIL = List.of("-cp", "a.jar:b.jar", ParentWatchdog.class.getName(),
            TrainerCommand.BUILT_IN_MAIN);

    @Test
    void theParentsClassDataArchiveGoesBeforeTheUsersOptions() {
        // HotSpot takes the last of a repeated -XX option: a user's own archive in --trainer-java-opts wins.
        assertEquals(concat(List.of("java", "-XX:SharedArchiveFile=/opt/pbtnas/trainer.jsa", "-Xmx1g",
                        "-XX:SharedArchiveFile=/mine.jsa")),
                TrainerCommand.jvm("java", "/opt/pbtnas/trainer.jsa", " -Xmx1g  -XX:SharedArchiveFile=/mine.jsa ",
                        "a.jar:b.jar"));
    }

    @Test
    void withoutAnArchiveTheCommandLineIsTheUsersOptionsOnly() {
        assertEquals(concat(List.of("java", "-Xmx768m", "-XX:+UseSerialGC")),
                TrainerCommand.jvm("java", null, "-Xmx768m -XX:+UseSerialGC", "a.jar:b.jar"));
        assertEquals(concat(List.of("java", "-Xmx768m")), TrainerCommand.jvm("java", " ", "-Xmx768m", "a.jar:b.jar"));
    }

    private static List<String> concat(List<String> head) {
        return java.util.stream.Stream.concat(head.stream(), TAIL.stream()).toList();
    }
}
