package io.pbtnas.cli.validate;

import io.pbtnas.cli.support.Cli;
import io.pbtnas.testkit.ValidationCase;
import io.pbtnas.testkit.ValidationCases;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `pbtnas validate` over every case of the shared table (testkit's validation-cases): the verdict, the
 * exit code, and that every problem line names the case's field.
 */
class ValidateCasesTest {
    @TempDir
    Path dir;

    static List<ValidationCase> cases() {
        return ValidationCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theCommandGivesEachCaseItsVerdict(ValidationCase c) throws IOException {
        Path file = dir.resolve(c.name() + ".yaml");
        Files.writeString(file, c.manifest());
        List<String> args = new ArrayList<>(List.of("validate", "-f", file.toString()));
        if (c.old().isPresent()) {
            Path old = dir.resolve(c.name() + ".old.yaml");
            Files.writeString(old, c.old().get());
            args.addAll(List.of("--old", old.toString()));
        }
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        if (c.valid()) {
            assertEquals(0, r.code(), c.why() + "\n" + r.out() + r.err());
            assertEquals("", r.out(), "a valid case prints no problem");
            return;
        }
        assertEquals(2, r.code(), c.why() + ": refused\n" + r.err());
        List<String> lines = r.out().lines().toList();
        assertFalse(lines.isEmpty(), "one line per problem");
        for (String line : lines) {
            assertTrue(line.startsWith(file + ": "), "starts with the file: " + line);
            assertTrue(line.contains(c.field()), c.name() + ": names " + c.field() + ": " + line);
        }
    }
}
