package io.pbtnas.cli.steps;

import io.pbtnas.core.layout.AtomicFiles;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.layout.CheckpointLayout;
import io.pbtnas.core.model.BestMember;
import io.pbtnas.core.space.SearchSpace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The best network leaves as a self-contained folder: its checkpoint, genome,
 * search space, scores, and the task settings it was scored with, so
 * `pbtnas eval best/` reproduces the score without retraining.
 */
public final class BestExport {
    public static final String TASK = "task.json";
    public static final String README = "README.txt";

    private BestExport() {
    }

    /** Task settings recorded next to the exported network. */
    public record TaskSettings(String task, Map<String, Object> args) {
    }

    public static Path export(CheckpointLayout layout, String searchName, BestMember best, SearchSpace space,
                              TaskSettings task) throws IOException {
        Path dir = layout.bestDir();
        Files.createDirectories(dir);
        Path model = layout.resolve(best.checkpoint());
        AtomicFiles.copy(model, dir.resolve(CheckpointLayout.MODEL));
        Path metrics = model.resolveSibling(CheckpointLayout.METRICS);
        if (Files.exists(metrics)) {
            AtomicFiles.copy(metrics, dir.resolve(CheckpointLayout.METRICS));
        }
        AtomicFiles.writeString(dir.resolve(CheckpointLayout.SEARCH_SPACE), space.toJson() + "\n");
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("task", task.task());
        t.put("args", task.args());
        AtomicFiles.writeString(dir.resolve(TASK), Json.write(t) + "\n");
        AtomicFiles.writeString(dir.resolve(README), String.format(java.util.Locale.ROOT, """
                The best network of PBT-NAS search '%s': member %d, score %s (generation %d).
                It is trained: use it as it is, no retraining needed.

                  model.safetensors   weights (+ optimizer state), readable by Python's safetensors
                  genome.json         its architecture, gene -> op
                  search-space.json   the search space the genes come from
                  metrics.json        what the trainer measured when it was trained
                  task.json           the task and arguments it was scored with

                Evaluate it (prints validation and test accuracy):
                  pbtnas eval %s
                """, searchName, best.member(), best.score(), best.generation(), dir));
        // The genome last: its presence marks a complete export.
        AtomicFiles.writeString(dir.resolve(CheckpointLayout.GENOME), Json.write(best.genome()) + "\n");
        return dir;
    }
}
