package io.pbtnas.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.pbtnas.cli.local.BestExport;
import io.pbtnas.cli.local.HistoryFile;
import io.pbtnas.cli.manifest.JsonErrors;
import io.pbtnas.core.contract.TrainerOutput;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.space.Genome;
import io.pbtnas.core.layout.CheckpointLayout;
import io.pbtnas.core.model.BestMember;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.core.space.SearchSpace;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * `pbtnas export`: writes {@code best/} and {@code history.json} under a search root from a status,
 * with the same code the local mode uses at the end of a run. The operator runs it in one pod when
 * the search is complete, so the volume has the layout DESIGN.md promises on a cluster too.
 */
@Command(name = "export", mixinStandardHelpOptions = true, description = {
    "Write best/ (model.safetensors, genome.json, search-space.json, metrics.json, task.json, README.txt) and "
        + "history.json under the search root, from the search's status.",
    "Values can also come from the environment: PBTNAS_ROOT, PBTNAS_STATUS, PBTNAS_SEARCH_SPACE, "
        + "PBTNAS_SEARCH_NAME, PBTNAS_TASK, PBTNAS_TASK_ARGS.",
    "Idempotent: every file is rewritten atomically with the same content, so it can run again after a crash.",
    "Exit codes: 0 done, 2 bad input (the message names the flag/field), 1 I/O failure."})
public final class ExportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--root", paramLabel = "DIR",
            description = "The search root (where members/<m>/gen-<g>/ live). Env: PBTNAS_ROOT.")
    String root;

    @Option(names = "--status", paramLabel = "JSON",
            description = "The search's status (the CR's .status, or the local status.json) as JSON or @FILE; "
                    + "its best.checkpoint is exported. Env: PBTNAS_STATUS.")
    String status;

    @Option(names = "--search-space", paramLabel = "JSON",
            description = "The search space {\"genes\":[...]} as JSON (or @FILE). Env: PBTNAS_SEARCH_SPACE.")
    String searchSpace;

    @Option(names = "--name", paramLabel = "NAME",
            description = "The search's name, recorded in history.json (default: the root's directory name). "
                    + "Env: PBTNAS_SEARCH_NAME.")
    String name;

    @Option(names = "--task", paramLabel = "TASK",
            description = "The trainer task the network was scored on, recorded in best/task.json. Env: PBTNAS_TASK.")
    String task;

    @Option(names = "--task-args", paramLabel = "JSON",
            description = "The trainer arguments (JSON object or @FILE), recorded in best/task.json. "
                    + "Env: PBTNAS_TASK_ARGS.")
    String taskArgs;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        var out = spec.commandLine().getOut();
        try {
            Path rootDir = Path.of(required(root, "--root", "PBTNAS_ROOT"));
            if (!Files.isDirectory(rootDir)) {
                throw new IllegalArgumentException("--root: " + rootDir + " is not a directory (the search root, "
                        + "where members/<m>/gen-<g>/ live)");
            }
            SearchStatus parsed = parseStatus(text(required(status, "--status", "PBTNAS_STATUS"), "--status"));
            SearchSpace space = parseSpace(text(required(searchSpace, "--search-space", "PBTNAS_SEARCH_SPACE"),
                    "--search-space"));
            String searchName = optional(name, "PBTNAS_SEARCH_NAME");
            if (searchName == null) {
                searchName = rootDir.toAbsolutePath().normalize().getFileName().toString();
            }
            String taskName = optional(task, "PBTNAS_TASK");
            String argsValue = optional(taskArgs, "PBTNAS_TASK_ARGS");
            Map<String, Object> args = argsValue == null ? new LinkedHashMap<>()
                    : parseArgs(text(argsValue, "--task-args"));

            CheckpointLayout layout = new CheckpointLayout(rootDir);
            BestMember best = checkedBest(parsed, layout);
            Path dir = BestExport.export(layout, searchName, best, space, new BestExport.TaskSettings(taskName, args));
            HistoryFile.write(layout, searchName, parsed);
            out.println("pbtnas export: wrote " + dir + " (member " + best.member() + ", score " + best.score()
                    + ", generation " + best.generation() + ") and " + layout.history());
            return Main.OK;
        } catch (IllegalArgumentException e) {
            err.println("pbtnas export: " + e.getMessage());
            return Main.BAD_INPUT;
        } catch (IOException e) {
            err.println("pbtnas export: I/O failure: " + e.getMessage());
            return Main.FAILURE;
        }
    }

    /** The best member must name a checkpoint that exists under the root: that file is the export. */
    static BestMember checkedBest(SearchStatus status, CheckpointLayout layout) {
        BestMember best = status.best();
        if (best == null) {
            throw new IllegalArgumentException("--status.best: missing; there is nothing to export before the "
                    + "first generation has finished (phase " + status.phase() + ")");
        }
        if (best.checkpoint() == null || best.checkpoint().isBlank()) {
            throw new IllegalArgumentException("--status.best.checkpoint: missing; expected a path relative to "
                    + "--root, e.g. members/3/gen-2/attempt-0/model.safetensors");
        }
        if (best.genome() == null || best.member() == null) {
            throw new IllegalArgumentException("--status.best: needs member and genome, got " + Json.write(best));
        }
        if (Path.of(best.checkpoint()).isAbsolute()) {
            throw new IllegalArgumentException("--status.best.checkpoint: '" + best.checkpoint()
                    + "' must be relative to --root " + layout.root());
        }
        Path model;
        try {
            model = layout.resolve(best.checkpoint());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--status.best.checkpoint: " + e.getMessage(), e);
        }
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException("--status.best.checkpoint: " + model + " does not exist (is --root "
                    + "the search root this status belongs to?)");
        }
        try {
            // What is copied must be the network the status describes, whole.
            TrainerOutput.checkCheckpoint(model, new Genome(best.genome()), null);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--status.best.checkpoint: " + e.getMessage(), e);
        }
        return best;
    }

    private static SearchStatus parseStatus(String json) {
        try {
            return Json.MAPPER.readValue(json, SearchStatus.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("--" + JsonErrors.describe(e, "status"), e);
        }
    }

    private static SearchSpace parseSpace(String json) {
        try {
            return SearchSpace.fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--search-space: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> parseArgs(String json) {
        try {
            Map<String, Object> m = Json.MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {
            });
            return m == null ? new LinkedHashMap<>() : m;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("--" + JsonErrors.describe(e, "task-args"), e);
        }
    }

    private static String required(String flag, String flagName, String env) {
        String v = optional(flag, env);
        if (v == null) {
            throw new IllegalArgumentException(flagName + ": required (give " + flagName + " or set " + env + ")");
        }
        return v;
    }

    private static String optional(String flag, String env) {
        if (flag != null && !flag.isBlank()) {
            return flag;
        }
        String v = System.getenv(env);
        return v == null || v.isBlank() ? null : v;
    }

    /** A value, or the contents of the file after '@'. */
    private static String text(String value, String flagName) throws IOException {
        if (!value.startsWith("@")) {
            return value;
        }
        Path p = Path.of(value.substring(1));
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException(flagName + ": file " + p + " not found");
        }
        return Files.readString(p);
    }
}
