package io.pbtnas.cli.local;

import io.pbtnas.cli.steps.HistoryFile;

import com.fasterxml.jackson.databind.JsonNode;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.layout.CheckpointLayout;
import io.pbtnas.core.model.MemberStatus;
import io.pbtnas.core.model.SearchStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The model.safetensors a folder stands for. A members/M/gen-G folder holds one attempt-A folder per
 * attempt; the one that counts is recorded in the search's status (status.json of a local run) or,
 * on a cluster volume, in history.json once exported. Any other folder stands for its own file.
 */
final class CountedAttempt {
    private static final Pattern STEP = Pattern.compile("^(.*)/members/(\\d+)/gen-(\\d+)(/attempt-(\\d+))?$");

    private CountedAttempt() {
    }

    static Path model(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        Matcher m = STEP.matcher(abs.toString().replace('\\', '/'));
        if (!m.matches()) {
            return abs.resolve(CheckpointLayout.MODEL);
        }
        Path root = Path.of(m.group(1).isEmpty() ? "/" : m.group(1));
        int member = Integer.parseInt(m.group(2));
        int generation = Integer.parseInt(m.group(3));
        Optional<Record> record = record(root);
        Optional<String> counted = record.flatMap(r -> r.checkpoint(member, generation));
        String step = "member " + member + ", generation " + generation;
        if (m.group(4) != null) {
            Path own = abs.resolve(CheckpointLayout.MODEL);
            if (counted.isPresent() && !root.resolve(counted.get()).normalize().equals(own)) {
                throw new IllegalArgumentException(dir + ": this attempt of " + step + " did not count ("
                        + counted.get() + " did, per " + record.get().source() + "); give that folder, or this "
                        + "folder's " + CheckpointLayout.MODEL + " itself to evaluate it anyway");
            }
            return own;
        }
        if (counted.isPresent()) {
            return root.resolve(counted.get());
        }
        if (Files.isRegularFile(abs.resolve(CheckpointLayout.MODEL))) {
            return abs.resolve(CheckpointLayout.MODEL); // written before attempts had their own folders
        }
        if (record.isPresent()) {
            throw new IllegalArgumentException(dir + ": " + step + " has no result that counts (per "
                    + record.get().source() + ", it failed or has not finished that generation)");
        }
        throw new IllegalArgumentException(dir + ": which attempt of " + step + " counts is recorded in the "
                + "search's status, and " + root + " has neither " + WorkDir.STATUS + " nor "
                + CheckpointLayout.HISTORY + "; give one of its attempt-<a>/ folders or a .safetensors file");
    }

    /** Where the counted attempts are written down: the local status, else the exported history. */
    private record Record(Path source, SearchStatus status, JsonNode history) {
        Optional<String> checkpoint(int member, int generation) {
            if (status != null) {
                return status.members().stream().filter(x -> x.id() == member).findFirst()
                        .flatMap((MemberStatus x) -> x.checkpointAt(generation));
            }
            JsonNode p = history.path(HistoryFile.CHECKPOINTS).path(Integer.toString(member))
                    .path(Integer.toString(generation));
            return p.isTextual() ? Optional.of(p.asText()) : Optional.empty();
        }
    }

    private static Optional<Record> record(Path root) throws IOException {
        Path status = root.resolve(WorkDir.STATUS);
        if (Files.isRegularFile(status)) {
            return Optional.of(new Record(status, new WorkDir(root).loadStatus().orElseThrow(), null));
        }
        Path history = root.resolve(CheckpointLayout.HISTORY);
        if (Files.isRegularFile(history)) {
            JsonNode h = Json.MAPPER.readTree(Files.readString(history));
            if (h.has(HistoryFile.CHECKPOINTS)) {
                return Optional.of(new Record(history, null, h));
            }
        }
        return Optional.empty();
    }
}
