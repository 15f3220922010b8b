package io.pbtnas.core.layout;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where everything of one search lives on the shared volume:
 * {@code <volume>/<namespace>/<search>-<uid8>/} holding {@code members/<m>/gen-<g>/} (the trainer's
 * model.safetensors and metrics.json, and input.safetensors for a mixed child), {@code best/}
 * and {@code history.json}. Status records paths relative to the root, so a volume can be
 * mounted anywhere.
 */
public record CheckpointLayout(Path root) {
    public static final String MODEL = "model.safetensors";
    public static final String METRICS = "metrics.json";
    public static final String INPUT = "input.safetensors";
    public static final String BEST = "best";
    public static final String GENOME = "genome.json";
    public static final String SEARCH_SPACE = "search-space.json";
    public static final String HISTORY = "history.json";

    public CheckpointLayout {
        Objects.requireNonNull(root, "root");
    }

    /** The root of a search on a volume: {@code <volume>/<namespace>/<search>-<first 8 chars of uid>}. */
    public static CheckpointLayout of(Path volume, String namespace, String search, String uid) {
        if (uid == null || uid.length() < 8) {
            throw new IllegalArgumentException("search uid '" + uid + "' must have at least 8 characters");
        }
        return new CheckpointLayout(volume.resolve(namespace).resolve(search + "-" + uid.substring(0, 8)));
    }

    public Path memberDir(int member, int generation) {
        return root.resolve(relativeMemberDir(member, generation));
    }

    public Path model(int member, int generation) {
        return root.resolve(relativeModel(member, generation));
    }

    public Path metrics(int member, int generation) {
        return root.resolve(relativeMetrics(member, generation));
    }

    /** The mixed child a replaced member starts generation g from. */
    public Path input(int member, int generation) {
        return root.resolve(relativeInput(member, generation));
    }

    public Path bestDir() {
        return root.resolve(BEST);
    }

    public Path bestModel() {
        return bestDir().resolve(MODEL);
    }

    public Path bestGenome() {
        return bestDir().resolve(GENOME);
    }

    public Path bestSearchSpace() {
        return bestDir().resolve(SEARCH_SPACE);
    }

    public Path history() {
        return root.resolve(HISTORY);
    }

    /** A path recorded in status (relative to the root) made absolute under this root. */
    public Path resolve(String relative) {
        Path p = root.resolve(relative).normalize();
        if (!p.startsWith(root.normalize())) {
            throw new IllegalArgumentException("checkpoint path '" + relative + "' escapes the search root " + root);
        }
        return p;
    }

    public static String relativeMemberDir(int member, int generation) {
        if (member < 0 || generation < 0) {
            throw new IllegalArgumentException("member and generation must be >= 0, got " + member + ", " + generation);
        }
        return "members/" + member + "/gen-" + generation;
    }

    public static String relativeModel(int member, int generation) {
        return relativeMemberDir(member, generation) + "/" + MODEL;
    }

    public static String relativeMetrics(int member, int generation) {
        return relativeMemberDir(member, generation) + "/" + METRICS;
    }

    public static String relativeInput(int member, int generation) {
        return relativeMemberDir(member, generation) + "/" + INPUT;
    }
}
