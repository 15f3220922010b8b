package io.pbtnas.core.layout;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where everything of one search lives on the shared volume:
 * {@code <volume>/<namespace>/<search>-<uid8>/} holding {@code members/<m>/gen-<g>/} (input.safetensors
 * for a mixed child, and {@code attempt-<a>/} per attempt with that attempt's model.safetensors and
 * metrics.json), {@code best/} and {@code history.json}. Attempts never share a directory, so a
 * retried step cannot overwrite, or be overwritten by, an earlier attempt still writing; the status
 * records which attempt's files count. Status records paths relative to the root, so a volume can be
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
    /** The report beside best/ (pbtnas export on a cluster, the local driver after each result). */
    public static final String REPORT = "report.html";
    public static final String MEMBERS = "members";
    public static final String GEN_PREFIX = "gen-";
    public static final String ATTEMPT_PREFIX = "attempt-";
    /**
     * The attempt recorded for a step that a version without attempt directories finished: its files
     * are directly in {@code members/<m>/gen-<g>/}, so a search started before the change resumes.
     */
    public static final int LEGACY_ATTEMPT = -1;

    public CheckpointLayout {
        Objects.requireNonNull(root, "root");
    }

    /** The root of a search on a volume: {@code <volume>/<namespace>/<search>-<uid8>} ({@link #searchFolder}). */
    public static CheckpointLayout of(Path volume, String namespace, String search, String uid) {
        return new CheckpointLayout(volume.resolve(searchFolder(namespace, search, uid)));
    }

    /**
     * A search's folder below the volume's root: {@code <namespace>/<search>-<uid8>}, uid8 being the first 8
     * characters of the uid without its dashes. The uid keeps a re-created search with the same name away
     * from the old files. The operator's pods mount exactly this.
     */
    public static String searchFolder(String namespace, String search, String uid) {
        return namespace + "/" + searchDirName(search, uid);
    }

    /** {@code <search>-<uid8>}: the last part of {@link #searchFolder}. */
    public static String searchDirName(String search, String uid) {
        String hex = uid == null ? "" : uid.replace("-", "");
        if (hex.length() < 8) {
            throw new IllegalArgumentException("search uid '" + uid + "' must have at least 8 characters besides dashes");
        }
        return search + "-" + hex.substring(0, 8);
    }

    /** Where member m's step g lives: every attempt's directory and the mixed child's input. */
    public Path memberDir(int member, int generation) {
        return root.resolve(relativeMemberDir(member, generation));
    }

    /** Where attempt a of member m's step g writes model.safetensors and metrics.json. */
    public Path attemptDir(int member, int generation, int attempt) {
        return root.resolve(relativeAttemptDir(member, generation, attempt));
    }

    public Path model(int member, int generation, int attempt) {
        return root.resolve(relativeModel(member, generation, attempt));
    }

    /** The mixed child a replaced member starts generation g from (one per step, shared by its attempts). */
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
        return MEMBERS + "/" + member + "/" + GEN_PREFIX + generation;
    }

    /**
     * {@code members/<m>/gen-<g>/attempt-<a>}; {@link #LEGACY_ATTEMPT} is {@code members/<m>/gen-<g>}
     * itself, where steps finished by versions before attempt directories left their files.
     */
    public static String relativeAttemptDir(int member, int generation, int attempt) {
        if (attempt < LEGACY_ATTEMPT) {
            throw new IllegalArgumentException("attempt must be >= 0 (or " + LEGACY_ATTEMPT + " for a step written "
                    + "before attempt directories), got " + attempt);
        }
        String gen = relativeMemberDir(member, generation);
        return attempt == LEGACY_ATTEMPT ? gen : gen + "/" + ATTEMPT_PREFIX + attempt;
    }

    public static String relativeModel(int member, int generation, int attempt) {
        return relativeAttemptDir(member, generation, attempt) + "/" + MODEL;
    }

    public static String relativeMetrics(int member, int generation, int attempt) {
        return relativeAttemptDir(member, generation, attempt) + "/" + METRICS;
    }

    public static String relativeInput(int member, int generation) {
        return relativeMemberDir(member, generation) + "/" + INPUT;
    }
}
