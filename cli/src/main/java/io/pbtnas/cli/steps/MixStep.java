package io.pbtnas.cli.steps;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.pbtnas.cli.manifest.JsonErrors;
import io.pbtnas.core.engine.MixPlan;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.layout.CheckpointLayout;
import io.pbtnas.core.mix.ShrinkPerturb;
import io.pbtnas.core.safetensors.SafetensorsReader;
import io.pbtnas.core.space.SearchSpace;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Executes one mix plan under a search root: the child checkpoint of a
 * replaced member. Idempotent, so a retried init container or a resumed local
 * run can call it again: a readable output means the work is already done.
 */
public record MixStep(CheckpointLayout layout, MixPlan plan, SearchSpace space) {

    /** What happened: the output path and whether it was already there. */
    public record Result(Path output, boolean alreadyDone) {
    }

    /** Parses the contract JSON; bad input is an IllegalArgumentException naming the flag and field. */
    public static MixStep fromJson(Path root, String planJson, String spaceJson) {
        MixPlan plan;
        try {
            plan = Json.MAPPER.readValue(planJson, MixPlan.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("--" + JsonErrors.describe(e, "plan"), e);
        }
        SearchSpace space;
        try {
            space = SearchSpace.fromJson(spaceJson);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--search-space: " + e.getMessage(), e);
        }
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("--root: " + root + " is not a directory (the search root, where "
                    + "members/<m>/gen-<g>/ live)");
        }
        return new MixStep(new CheckpointLayout(root), plan, space);
    }

    public Result run() throws IOException {
        Path parent = checkpoint(plan.parentCheckpoint(), "parentCheckpoint", true);
        Path donor = checkpoint(plan.donorCheckpoint(), "donorCheckpoint", true);
        Path output = checkpoint(plan.output(), "output", false);
        for (String gene : plan.swappedGenes()) {
            if (space.genes().stream().noneMatch(g -> g.name().equals(gene))) {
                throw new IllegalArgumentException("--plan.swappedGenes: gene '" + gene
                        + "' is not in the search space (genes: " + space.genes().stream().map(g -> g.name())
                        .toList() + ")");
            }
        }
        if (Files.exists(output)) {
            if (readable(output)) {
                return new Result(output, true);
            }
            // Never produced by us (our writes are atomic): a foreign or damaged file; replace it.
            Files.delete(output);
        }
        Files.createDirectories(output.getParent());
        try {
            ShrinkPerturb.mix(parent, donor, plan, space, output);
        } catch (FileAlreadyExistsException e) {
            // Another run of this mix (a retried init container beside a slow one) published first; the
            // plan is deterministic, so its complete file is the same child.
            if (readable(output)) {
                return new Result(output, true);
            }
            throw e;
        }
        return new Result(output, false);
    }

    private Path checkpoint(String relative, String field, boolean mustExist) {
        if (relative == null || relative.isBlank()) {
            throw new IllegalArgumentException("--plan." + field + ": required, a path relative to --root");
        }
        if (Path.of(relative).isAbsolute()) {
            throw new IllegalArgumentException("--plan." + field + ": '" + relative + "' must be relative to --root "
                    + layout.root());
        }
        Path p;
        try {
            p = layout.resolve(relative);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--plan." + field + ": " + e.getMessage(), e);
        }
        if (mustExist && !Files.isRegularFile(p)) {
            throw new IllegalArgumentException("--plan." + field + ": " + p + " does not exist (has member "
                    + "training for that generation finished?)");
        }
        return p;
    }

    private static boolean readable(Path file) {
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            return !r.tensors().isEmpty() || !r.metadata().isEmpty();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
