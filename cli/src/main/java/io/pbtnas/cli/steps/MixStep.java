package io.pbtnas.cli.steps;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.pbtnas.cli.manifest.JsonErrors;
import io.pbtnas.core.engine.MixPlan;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.layout.CheckpointLayout;
import io.pbtnas.core.mix.ShrinkPerturb;
import io.pbtnas.core.safetensors.SafetensorsReader;
import io.pbtnas.core.space.SearchSpace;

import io.pbtnas.cli.storage.CheckpointTree;
import io.pbtnas.cli.storage.Location;
import io.pbtnas.cli.storage.S3Location;
import io.pbtnas.cli.storage.S3Objects;
import io.pbtnas.core.safetensors.ByteSource;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.function.Supplier;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Executes one mix plan under a search root: the child checkpoint of a
 * replaced member. Idempotent, so a retried init container or a resumed local
 * run can call it again: a readable output means the work is already done.
 * The parents are read from {@code parents} (the volume, or the search's prefix in a bucket,
 * streamed); the child is written under {@code layout}'s root, always a local folder.
 */
public record MixStep(CheckpointTree parents, CheckpointLayout layout, MixPlan plan, SearchSpace space) {

    /** Parents and child under one local search root. */
    public MixStep(CheckpointLayout layout, MixPlan plan, SearchSpace space) {
        this(new CheckpointTree.OnVolume(layout), layout, plan, space);
    }

    /** What happened: the output path and whether it was already there. */
    public record Result(Path output, boolean alreadyDone) {
    }

    /** Parses the contract JSON; bad input is an IllegalArgumentException naming the flag and field. */
    public static MixStep fromJson(Path root, String planJson, String spaceJson) {
        return fromJson(root, "--root", planJson, spaceJson);
    }

    /**
     * Parents under {@code parentsRoot} (a folder or an s3:// prefix, opened by {@code bucket}), the
     * child under the local folder {@code outputRoot}.
     */
    public static MixStep fromJson(Location parentsRoot, Path outputRoot, String planJson, String spaceJson,
                                   Supplier<S3Objects> bucket) {
        MixStep m = fromJson(outputRoot, "--output-root", planJson, spaceJson);
        CheckpointTree parents;
        if (parentsRoot instanceof S3Location s3) {
            parents = new CheckpointTree.InBucket(bucket.get(), s3);
        } else {
            Path local = ((Location.Local) parentsRoot).path();
            if (!Files.isDirectory(local)) {
                throw new IllegalArgumentException("--root: " + local + " is not a directory (the search root,"
                        + " where members/<m>/gen-<g>/ live)");
            }
            parents = new CheckpointTree.OnVolume(new CheckpointLayout(local));
        }
        return new MixStep(parents, m.layout(), m.plan(), m.space());
    }

    private static MixStep fromJson(Path root, String flag, String planJson, String spaceJson) {
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
            throw new IllegalArgumentException(flag + ": " + root + " is not a directory (the search root, where "
                    + "members/<m>/gen-<g>/ live)");
        }
        return new MixStep(new CheckpointLayout(root), plan, space);
    }

    public Result run() throws IOException {
        String parent = parentPath(plan.parentCheckpoint(), "parentCheckpoint");
        String donor = parentPath(plan.donorCheckpoint(), "donorCheckpoint");
        Path output = checkpoint(plan.output(), "output");
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
        ByteSource p = open(parent, "parentCheckpoint");
        ByteSource d;
        try {
            d = open(donor, "donorCheckpoint");
            Files.createDirectories(output.getParent());
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
        try {
            ShrinkPerturb.mix(p, d, plan, space, output); // closes both
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

    private Path checkpoint(String relative, String field) {
        requireRelative(relative, field, layout.root().toString());
        try {
            return layout.resolve(relative);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--plan." + field + ": " + e.getMessage(), e);
        }
    }

    /** A parent's path, checked against the root it is read from (it must not escape it). */
    private String parentPath(String relative, String field) {
        requireRelative(relative, field, "the root");
        try {
            parents.where(relative);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--plan." + field + ": " + e.getMessage(), e);
        }
        return relative;
    }

    private static void requireRelative(String relative, String field, String root) {
        if (relative == null || relative.isBlank()) {
            throw new IllegalArgumentException("--plan." + field + ": required, a path relative to --root");
        }
        if (Path.of(relative).isAbsolute() || relative.startsWith("/")) {
            throw new IllegalArgumentException("--plan." + field + ": '" + relative + "' must be relative to --root "
                    + root);
        }
    }

    /** A missing parent is bad input (exit 2) naming it: the step must not train from scratch instead. */
    private ByteSource open(String relative, String field) throws IOException {
        try {
            return parents.open(relative);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--plan." + field + ": " + parents.where(relative) + " does not exist"
                    + " (has member training for that generation finished?)", e);
        }
    }

    private static boolean readable(Path file) {
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            return !r.tensors().isEmpty() || !r.metadata().isEmpty();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
