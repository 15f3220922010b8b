package io.pbtnas.testkit;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared table keeps its contract: enough cases of each verdict, one name each, no namespace. */
class ValidationCasesTest {
    private static final Pattern NAME = Pattern.compile("(?m)^metadata:\\n  name: (\\S+)$");

    @Test
    void theTableHoldsEnoughCasesOfEachVerdict() {
        List<ValidationCase> all = ValidationCases.all();
        long invalid = all.stream().filter(c -> !c.valid()).count();
        long valid = all.stream().filter(ValidationCase::valid).count();
        assertTrue(invalid >= 25, "at least 25 invalid cases, got " + invalid);
        assertTrue(valid >= 10, "at least 10 valid cases, got " + valid);
        assertTrue(all.stream().anyMatch(c -> !c.valid() && c.old().isPresent()), "an immutable edit with its old object");
        assertTrue(all.stream().anyMatch(c -> c.valid() && c.old().isPresent()), "an allowed edit with its old object");
    }

    @Test
    void everyCaseHasItsOwnNameAndNoNamespace() {
        Set<String> names = new HashSet<>();
        for (ValidationCase c : ValidationCases.all()) {
            Matcher m = NAME.matcher(c.manifest());
            assertTrue(m.find(), c + ": metadata.name");
            assertTrue(names.add(m.group(1)), c + ": metadata.name " + m.group(1) + " is used by another case");
            assertFalse(c.manifest().contains("namespace:"), c + ": tests set the namespace");
            assertTrue(c.manifest().contains("apiVersion: pbtnas.io/v1alpha1\nkind: PbtNasSearch\n"), c.name());
            c.old().ifPresent(o -> {
                Matcher om = NAME.matcher(o);
                assertTrue(om.find(), c + ": the old object's metadata.name");
                assertEquals(m.group(1), om.group(1), c + ": an edit keeps the name");
            });
            assertEquals(c.valid(), c.field().isEmpty(), c + ": a field exactly for invalid cases");
        }
    }
}
