package io.pbtnas.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.pbtnas.cli.steps.BestExport;
import io.pbtnas.cli.steps.HistoryFile;
import io.pbtnas.cli.local.StatusView;
import io.pbtnas.cli.manifest.JsonErrors;
import io.pbtnas.cli.report.HtmlReport;
import io.pbtnas.cli.storage.LazyS3;
import io.pbtnas.cli.storage.Location;
import io.pbtnas.cli.storage.S3Location;
import io.pbtnas.cli.storage.S3Objects;
import io.pbtnas.core.contract.TrainerOutput;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.space.Genome;
import io.pbtnas.core.layout.AtomicFiles;
import io.pbtnas.core.layout.CheckpointLayout;
import io.pbtnas.core.model.BestMember;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.core.space.SearchSpace;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * `pbtnas export`: writes {@code best/}, {@code history.json} and {@code report.html} under a search
 * root, with the same code the local mode uses at the end of a run. The operator runs it in one pod
 * when the search is complete, with the search (spec and status) in a file from a ConfigMap
 * ({@code --search}): a status is too big for an environment variable or an argument (one string is
 * limited to 128 KiB by execve), so the volume has the layout DESIGN.md promises at any size.
 */
@Command(name = "export", mixinStandardHelpOptions = true, description = {
    "Write best/ (model.safetensors, genome.json, search-space.json, metrics.json, task.json, README.txt), "
        + "history.json and report.html under the search root.",
    "The search comes either from --search (the PbtNasSearch resource: spec and status; what the operator's "
        + "export pod passes) or from --status and --search-space (then no report.html: it needs the spec).",
    "Idempotent: every file is rewritten atomically with the same content, so it can run again after a crash.",
    "--root may be an s3://bucket/prefix: the best checkpoint is downloaded, exported with the same code, and "
        + "best/, history.json and report.html are uploaded under the prefix (standard AWS environment: "
        + "AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE).",
    "A bucket that cannot be reached (no such bucket, refused credentials, no connection) writes a termination "
        + "message starting with 'storage unavailable: ', which the operator turns into condition StorageUnavailable.",
    "Exit codes: 0 done, 2 bad input (the message names the flag/field), 1 I/O failure."})
public final class ExportCommand implements Callable<Integer> {
    static final String REPORT = CheckpointLayout.REPORT;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--root", paramLabel = "DIR",
            description = "The search root (where members/<m>/gen-<g>/ live): a folder or s3://bucket/prefix.")
    String root;

    @Option(names = "--search", paramLabel = "FILE",
            description = "The PbtNasSearch resource as JSON (kubectl get pbtnassearch NAME -o json), plain or "
                    + "gzip-compressed: its status is exported, its spec gives the search space, task and task args, "
                    + "and report.html is written.")
    Path search;

    @Option(names = "--status", paramLabel = "JSON",
            description = "Instead of --search: the search's status (the CR's .status, or the local status.json) "
                    + "as JSON or @FILE; its best.checkpoint is exported.")
    String status;

    @Option(names = "--search-space", paramLabel = "JSON",
            description = "With --status: the search space {\"genes\":[...]} as JSON (or @FILE).")
    String searchSpace;

    @Option(names = "--name", paramLabel = "NAME",
            description = "The search's name, recorded in history.json (default: the resource's name with --search, "
                    + "else the root's directory name).")
    String name;

    @Option(names = "--task", paramLabel = "TASK",
            description = "With --status: the trainer task the network was scored on, recorded in best/task.json.")
    String task;

    @Option(names = "--task-args", paramLabel = "JSON",
            description = "With --status: the trainer arguments (JSON object or @FILE), recorded in best/task.json.")
    String taskArgs;

    @Option(names = "--termination-log", paramLabel = "FILE",
            description = "Where the failure message also goes (a pod's termination message).")
    Path terminationLog;

    /** What is exported, however it was given; {@code spec} is null without --search (then no report). */
    private record Input(String name, SearchStatus status, SearchSpace space, String task, Map<String, Object> args,
                         SearchSpec spec) {
    }

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        var out = spec.commandLine().getOut();
        try {
            Location where = Location.parse(required(root, "--root"));
            if (where instanceof S3Location bucketRoot) {
                Input in = search != null ? fromResource() : fromFlags();
                try (LazyS3 s3 = new LazyS3()) {
                    out.println("pbtnas export: " + toBucket(bucketRoot, in, s3));
                }
                return Main.OK;
            }
            Path rootDir = ((Location.Local) where).path();
            if (!Files.isDirectory(rootDir)) {
                throw new IllegalArgumentException("--root: " + rootDir + " is not a directory (the search root, "
                        + "where members/<m>/gen-<g>/ live)");
            }
            Input in = search != null ? fromResource() : fromFlags();
            out.println("pbtnas export: " + export(rootDir, in, rootDir.toAbsolutePath().normalize().getFileName()
                    .toString()));
            return Main.OK;
        } catch (IllegalArgumentException e) {
            return TerminationLog.fail(err, terminationLog, "export", Main.BAD_INPUT, e.getMessage(), e);
        } catch (IOException e) {
            return TerminationLog.fail(err, terminationLog, "export", Main.FAILURE, "I/O failure: " + e.getMessage(), e);
        }
    }

    /** Writes best/, history.json and (with the spec) report.html under a local root; what it wrote. */
    private String export(Path rootDir, Input in, String defaultName) throws IOException {
        String searchName = name != null && !name.isBlank() ? name : in.name() != null ? in.name() : defaultName;
        CheckpointLayout layout = new CheckpointLayout(rootDir);
        BestMember best = checkedBest(in.status(), layout);
        Path dir = BestExport.export(layout, searchName, best, in.space(),
                new BestExport.TaskSettings(in.task(), in.args()));
        HistoryFile.write(layout, searchName, in.status());
        String report = "";
        if (in.spec() != null) {
            Path html = layout.root().resolve(REPORT);
            AtomicFiles.writeString(html, HtmlReport.render(StatusView.report(searchName, in.spec(), in.status())));
            report = " and " + html;
        }
        return "wrote " + dir + " (member " + best.member() + ", score " + best.score() + ", generation "
                + best.generation() + "), " + layout.history() + report;
    }

    /**
     * The same export for a search root in a bucket: the best checkpoint is downloaded to a temporary
     * root, exported there with the same code, and best/, history.json and report.html go up (they are
     * derived and rewritten whole on each run, so they replace an earlier export; checkpoints never are).
     */
    private String toBucket(S3Location bucketRoot, Input in, LazyS3 bucket) throws IOException {
        BestMember best = in.status().best();
        if (best == null || best.checkpoint() == null || best.checkpoint().isBlank()) {
            checkedBest(in.status(), new CheckpointLayout(Path.of("."))); // names what is missing
        }
        S3Location model;
        try {
            model = bucketRoot.resolve(best.checkpoint());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--status.best.checkpoint: " + e.getMessage(), e);
        }
        S3Objects s3 = bucket.get(); // only once the input is known to be good: its errors come first
        Path temp = Files.createTempDirectory("pbtnas-export-");
        try {
            try {
                s3.size(model); // there, or named
                // its attempt's folder: the checkpoint and what was recorded beside it (metrics.json)
                String folder = best.checkpoint().contains("/")
                        ? best.checkpoint().substring(0, best.checkpoint().lastIndexOf('/')) : "";
                Path local = temp.resolve(best.checkpoint()).getParent();
                if (folder.isEmpty()) {
                    s3.download(model, temp.resolve(best.checkpoint()));
                } else {
                    s3.downloadTree(bucketRoot.resolve(folder), local);
                }
            } catch (java.nio.file.NoSuchFileException e) {
                throw new IllegalArgumentException("--status.best.checkpoint: " + model + " does not exist (is --root "
                        + "the search root this status belongs to?)", e);
            }
            export(temp, in, bucketRoot.fileName());
            List<S3Location> up = new ArrayList<>();
            try (var files = Files.walk(temp.resolve(CheckpointLayout.BEST))) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    up.add(upload(s3, f, bucketRoot.resolve(temp.relativize(f).toString().replace('\\', '/'))));
                }
            }
            for (String top : List.of(CheckpointLayout.HISTORY, REPORT)) {
                if (Files.isRegularFile(temp.resolve(top))) {
                    up.add(upload(s3, temp.resolve(top), bucketRoot.resolve(top)));
                }
            }
            return "wrote " + bucketRoot.resolve(CheckpointLayout.BEST) + " (member " + best.member() + ", score "
                    + best.score() + ", generation " + best.generation() + "), " + up.size() + " objects";
        } finally {
            try (var files = Files.walk(temp)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static S3Location upload(S3Objects s3, Path file, S3Location target) throws IOException {
        s3.putReplacing(file, target);
        return target;
    }

    private Input fromResource() throws IOException {
        for (String[] flag : new String[][] {{"--status", status}, {"--search-space", searchSpace}, {"--task", task},
            {"--task-args", taskArgs}}) {
            if (flag[1] != null) {
                throw new IllegalArgumentException(flag[0] + ": not with --search (the resource's spec and status "
                        + "give it); pass one or the other");
            }
        }
        if (!Files.isRegularFile(search)) {
            throw new IllegalArgumentException("--search: file " + search + " not found");
        }
        SearchResource r;
        try {
            r = SearchResource.parse(Files.readAllBytes(search));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--search: " + e.getMessage(), e);
        }
        var trainer = r.spec().trainer();
        if (r.spec().searchSpace() == null) {
            throw new IllegalArgumentException("--search: spec.searchSpace: missing");
        }
        Map<String, Object> args = trainer == null || trainer.args() == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>(trainer.args());
        return new Input(r.name(), r.status(), r.spec().searchSpace(), trainer == null ? null : trainer.task(), args,
                r.spec());
    }

    private Input fromFlags() throws IOException {
        SearchStatus parsed = parseStatus(text(required(status, "--status"), "--status"));
        SearchSpace space = parseSpace(text(required(searchSpace, "--search-space"), "--search-space"));
        Map<String, Object> args = taskArgs == null ? new LinkedHashMap<>() : parseArgs(text(taskArgs, "--task-args"));
        return new Input(null, parsed, space, task, args, null);
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

    private static String required(String flag, String flagName) {
        if (flag == null || flag.isBlank()) {
            throw new IllegalArgumentException(flagName + ": required (or give --search with the resource)");
        }
        return flag;
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
