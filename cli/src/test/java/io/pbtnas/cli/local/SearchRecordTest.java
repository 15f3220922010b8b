package io.pbtnas.cli.local;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.model.Schedule;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.space.Gene;
import io.pbtnas.core.space.SearchSpace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchRecordTest {
    static SearchSpec spec(Schedule schedule) {
        return new SearchSpec(null, 4, 3, null, null, 5L, null, null,
                new SearchSpace(List.of(new Gene("cell0", List.of("a", "b")))), null, null, null, null, null,
                schedule).withDefaults();
    }

    @Test
    void aDirectoryRecordedBeforeExploreAndScheduleExistedResumes(@TempDir Path tmp) throws Exception {
        WorkDir dir = new WorkDir(tmp);
        SearchRecord.checkOrWrite(dir, "s", spec(null));
        // What earlier versions wrote: the spec without the two fields.
        ObjectNode record = (ObjectNode) Json.MAPPER.readTree(Files.readString(dir.search()));
        ((ObjectNode) record.get("spec")).remove(List.of("explore", "schedule"));
        Files.writeString(dir.search(), Json.write(record));
        assertDoesNotThrow(() -> SearchRecord.checkOrWrite(dir, "s", spec(null)));
        assertDoesNotThrow(() -> SearchRecord.checkOrWrite(dir, "s", spec(Schedule.SYNCHRONOUS)),
                "the default written out is the same search");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SearchRecord.checkOrWrite(dir, "s", spec(Schedule.ASYNCHRONOUS)));
        assertTrue(e.getMessage().contains("spec.schedule: was \"synchronous\", now \"asynchronous\""),
                e.getMessage());
    }

    @Test
    void theScheduleIsRecorded(@TempDir Path tmp) throws Exception {
        WorkDir dir = new WorkDir(tmp);
        SearchRecord.checkOrWrite(dir, "s", spec(Schedule.ASYNCHRONOUS));
        assertTrue(Files.readString(dir.search()).contains("\"schedule\" : \"asynchronous\""),
                Files.readString(dir.search()));
    }
}
