package io.pbtnas.cli;

import io.pbtnas.cli.steps.FileTrees;
import io.pbtnas.cli.storage.LazyS3;
import io.pbtnas.cli.storage.Location;
import io.pbtnas.cli.storage.S3Location;
import io.pbtnas.cli.storage.S3Objects;
import io.pbtnas.core.contract.TrainerOutput;
import io.pbtnas.core.space.Genome;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * `pbtnas verify`: the check a trainer's outputs must pass before its score counts (the operator runs
 * it in each member pod after the trainer; the local mode runs the same check in-process). With
 * {@code --upload}, a search whose checkpoints live in a bucket gets the step's folder only once it
 * passed. With {@code --prune}, it then deletes step folders the search no longer needs: the member
 * pod is where storage.keepGenerations is applied on a cluster.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, description = {
    "Check a training step's outputs: metrics.json has a finite score, model.safetensors parses and carries "
        + "the genome and epoch the step was given.",
    "With --upload, the outputs that passed go up to the bucket (every file of --dir, metrics.json last, no object "
        + "replaced), reached with the standard AWS environment: AWS_ENDPOINT_URL, AWS_REGION, "
        + "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE (or the pod's web identity). Outputs that fail a "
        + "check are never uploaded.",
    "A bucket that cannot be reached writes a termination message starting with 'storage unavailable: ', which the "
        + "operator turns into condition StorageUnavailable.",
    "Exit codes: 0 the outputs are valid (and uploaded), 1 a check or the upload failed (named in the message), "
        + "2 bad input."})
public final class VerifyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The step's output directory.")
    Path dir;

    @Option(names = "--genome", required = true, paramLabel = "JSON", description = "The genome the step was given.")
    String genome;

    @Option(names = "--epoch", required = true, paramLabel = "N", description = "PBTNAS_EPOCH_TO of the step.")
    int epoch;

    @Option(names = "--upload", paramLabel = "S3",
            description = "After the check passed, upload --dir to this attempt's folder in the bucket: "
                    + "s3://bucket/prefix/members/<m>/gen-<g>/attempt-<a>. A key that exists already fails the step "
                    + "(it is never replaced).")
    String upload;

    @Option(names = "--prune", paramLabel = "DIR",
            description = "After the check, delete this step folder, a local path or an s3://bucket/prefix whose "
                    + "objects go (repeatable; each a members/<m>/gen-<g> folder the search no longer needs, "
                    + "storage.keepGenerations). A folder that cannot go is reported, never a failed step.")
    List<String> prune = new ArrayList<>();

    @Option(names = "--termination-log", paramLabel = "FILE",
            description = "Where the failure message also goes (a pod's termination message).")
    Path terminationLog;

    @Override
    public Integer call() {
        S3Location target;
        try {
            target = upload == null ? null : Uploads.target(upload);
        } catch (IllegalArgumentException e) {
            return fail(Main.BAD_INPUT, e.getMessage(), e);
        }
        try (LazyS3 bucket = new LazyS3()) {
            int code = check();
            if (code == Main.OK && target != null) {
                code = upload(bucket, target);
            }
            for (String folder : prune) {
                prune(bucket, folder);
            }
            return code;
        }
    }

    private int check() {
        Genome expected;
        try {
            expected = Genome.fromJson(genome);
        } catch (IllegalArgumentException e) {
            return fail(Main.BAD_INPUT, "--genome: " + e.getMessage(), e);
        }
        try {
            TrainerOutput.Verified v = TrainerOutput.verify(dir, expected, epoch);
            spec.commandLine().getOut().println("pbtnas verify: " + v.model() + " and " + v.metrics() + " are valid "
                    + "(score " + v.score() + ")");
            return Main.OK;
        } catch (IllegalArgumentException e) {
            return fail(Main.FAILURE, "the trainer exited 0 but its " + e.getMessage(), e);
        }
    }

    private int upload(LazyS3 bucket, S3Location target) {
        try {
            List<S3Location> written = bucket.get().putAttempt(dir, target);
            spec.commandLine().getOut().println("pbtnas verify: uploaded " + written.size() + " objects to " + target
                    + " (" + S3Objects.LAST + " last)");
            return Main.OK;
        } catch (FileAlreadyExistsException e) {
            return fail(Main.FAILURE, "--upload: " + e.getFile() + " already exists; an attempt's objects are never "
                    + "replaced (each attempt has its own attempt-<a> folder), so this attempt's result was not "
                    + "uploaded", e);
        } catch (IOException e) {
            return fail(Main.FAILURE, "--upload: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            return fail(Main.BAD_INPUT, "--upload: " + e.getMessage(), e); // the AWS environment
        }
    }

    /** A folder that cannot go is told, never a failed step: the next step's pod prunes it again. */
    private void prune(LazyS3 bucket, String folder) {
        PrintWriter err = spec.commandLine().getErr();
        try {
            Location where = Location.parse(folder);
            if (where instanceof S3Location s3) {
                String problem = Pruning.problem(s3);
                if (problem != null) {
                    err.println("pbtnas verify: --prune " + folder + ": " + problem);
                    return;
                }
                int n = bucket.get().deleteUnder(s3);
                spec.commandLine().getOut().println("pbtnas verify: pruned " + new S3Location(s3.bucket(), s3.prefix())
                        + " (" + n + " objects)");
                return;
            }
            Path local = ((Location.Local) where).path();
            String problem = Pruning.problem(local);
            if (problem != null) {
                err.println("pbtnas verify: --prune " + folder + ": " + problem);
                return;
            }
            if (FileTrees.delete(local)) {
                spec.commandLine().getOut().println("pbtnas verify: pruned " + local);
            }
        } catch (IOException | RuntimeException e) {
            err.println("pbtnas verify: --prune " + folder + ": " + TerminationLog.text(e.getMessage(), e));
        }
    }

    private int fail(int code, String message, Throwable cause) {
        return TerminationLog.fail(spec.commandLine().getErr(), terminationLog, "verify", code, message, cause);
    }

    /** Where --upload may write: an attempt's folder, so a wrong argument cannot put a result anywhere else. */
    static final class Uploads {
        private static final Pattern ATTEMPT = Pattern.compile("(.+/)?members/\\d+/gen-\\d+/attempt-\\d+/?");

        static S3Location target(String text) {
            if (!S3Location.isS3(text)) {
                throw new IllegalArgumentException("--upload: '" + text + "' must be an s3:// location (on a volume the "
                        + "trainer writes the attempt's folder where it stays)");
            }
            S3Location s3;
            try {
                s3 = S3Location.parse(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--upload: " + e.getMessage(), e);
            }
            if (!ATTEMPT.matcher(s3.key()).matches()) {
                throw new IllegalArgumentException("--upload: '" + text + "' is not an attempt's folder; expected "
                        + "s3://bucket/prefix/members/<m>/gen-<g>/attempt-<a>");
            }
            return s3;
        }
    }

    /** Only step folders are ever deleted: a wrong argument must not remove anything else. */
    static final class Pruning {
        private static final Pattern STEP = Pattern.compile(".*/members/\\d+/gen-\\d+");
        private static final Pattern STEP_KEY = Pattern.compile("(.+/)?members/\\d+/gen-\\d+/?");
        private static final String NOT_A_STEP = "not a members/<m>/gen-<g> folder; nothing deleted";

        static String problem(Path folder) {
            String p = folder.toAbsolutePath().normalize().toString().replace('\\', '/');
            return STEP.matcher(p).matches() ? null : NOT_A_STEP;
        }

        static String problem(S3Location prefix) {
            return STEP_KEY.matcher(prefix.key()).matches() ? null : NOT_A_STEP;
        }
    }
}
