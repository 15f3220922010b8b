package io.pbtnas.deploytests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chart installs the committed CRD: helm/pbtnas/crds/ must be an exact copy of crds/. */
class ChartCrdSyncTest {
    static final String FIX = "copy it: cp crds/*.yaml helm/pbtnas/crds/ (the operator build regenerates crds/)";

    @Test
    void chartCrdsAreTheCommittedCrds() {
        List<Path> committed = ServerSideApply.crdFiles(RepoPaths.crds());
        List<Path> inChart = ServerSideApply.crdFiles(RepoPaths.chart().resolve("crds"));
        assertFalse(committed.isEmpty(), "no CRD under " + RepoPaths.crds() + "; the operator module generates it");
        assertEquals(names(committed), names(inChart), "helm/pbtnas/crds/ holds other files than crds/; " + FIX);
        for (int i = 0; i < committed.size(); i++) {
            assertEquals(ServerSideApply.read(committed.get(i)), ServerSideApply.read(inChart.get(i)),
                    inChart.get(i) + " differs from " + committed.get(i) + "; " + FIX);
        }
    }

    private static List<String> names(List<Path> files) {
        return files.stream().map(p -> p.getFileName().toString()).toList();
    }
}
