package io.pbtnas.core.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.core.model.Condition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The CRD's descriptions and docs/usage.md's table say what ConditionType says: they cannot drift. */
class ConditionTypeTest {
    static final String BEGIN = "<!-- conditions: generated from ConditionType, checked by ConditionTypeTest -->\n";
    static final String END = "<!-- end of conditions -->";

    @Test
    void theCrdDescriptionsComeFromConditionType() {
        assertEquals(ConditionType.typesDescription(), Condition.TYPES, "Condition.TYPES must be exactly this");
        assertEquals(ConditionType.reasonsDescription(), Condition.REASONS, "Condition.REASONS must be exactly this");
        for (ConditionType t : ConditionType.values()) {
            assertTrue(Condition.TYPES.contains(t.code() + " ("), t.code());
            t.reasons().forEach(r -> assertTrue(Condition.REASONS.contains(r.code()), r.code()));
        }
    }

    @Test
    void usageDocsHaveTheTableOfConditionType() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "usage.md"));
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        assertTrue(begin >= 0 && end > begin, "docs/usage.md must hold the table between '" + BEGIN.strip()
                + "' and '" + END + "'");
        assertEquals(ConditionType.markdownTable(), doc.substring(begin + BEGIN.length(), end),
                "docs/usage.md's conditions table must be exactly ConditionType.markdownTable()");
    }

    @Test
    void everyReasonBelongsToAConditionTypeAndCodesAreUnique() {
        Set<Reason> used = new HashSet<>();
        Arrays.stream(ConditionType.values()).forEach(t -> used.addAll(t.reasons()));
        assertEquals(Set.of(Reason.values()), used);
        assertEquals(Reason.values().length, Arrays.stream(Reason.values()).map(Reason::code).distinct().count());
        assertEquals(ConditionType.values().length,
                Arrays.stream(ConditionType.values()).map(ConditionType::code).distinct().count());
    }
}
