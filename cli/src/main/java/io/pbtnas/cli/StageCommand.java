package io.pbtnas.cli;

import io.pbtnas.cli.storage.LazyS3;
import io.pbtnas.cli.storage.Location;
import io.pbtnas.cli.storage.S3Location;
import io.pbtnas.cli.storage.S3Objects;
import io.pbtnas.core.layout.CheckpointLayout;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * `pbtnas stage`: the first init container of a member pod whose search keeps its checkpoints in a
 * bucket. It fails fast, with the storage-failure termination message, when the bucket cannot be
 * reached, before any trainer time is spent; and it brings the step's input checkpoint (a continued
 * member's own last checkpoint) into the pod's local folder, where the trainer reads it.
 */
@Command(name = "stage", mixinStandardHelpOptions = true, description = {
    "Check that a search's bucket is reachable and download a step's input checkpoint to a local folder.",
    "--root is the search root in the bucket (s3://bucket/prefix); the bucket is reached with the standard AWS "
        + "environment: AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE (or the "
        + "pod's web identity).",
    "With --checkpoint, <root>/<checkpoint> is downloaded to <output-root>/<checkpoint>, whole or not at all; a "
        + "file already there with the object's size is kept (a retried init container).",
    "A bucket that cannot be reached (no such bucket, refused credentials, no connection) writes a termination "
        + "message starting with 'storage unavailable: ', which the operator turns into condition StorageUnavailable.",
    "Exit codes: 0 done, 1 the bucket cannot be reached or the checkpoint is missing (the message names the bucket or "
        + "key), 2 bad input (the message names the flag)."})
public final class StageCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--root", required = true, paramLabel = "S3",
            description = "The search root in the bucket: s3://bucket/prefix.")
    String root;

    @Option(names = "--output-root", required = true, paramLabel = "DIR",
            description = "The local folder the checkpoint is written under (the pod's emptyDir).")
    Path outputRoot;

    @Option(names = "--checkpoint", paramLabel = "REL",
            description = "The checkpoint to download, relative to the search root, e.g. "
                    + "members/3/gen-1/attempt-0/model.safetensors. Without it, only the bucket is checked.")
    String checkpoint;

    @Option(names = "--termination-log", paramLabel = "FILE",
            description = "Where the failure message also goes (a pod's termination message).")
    Path terminationLog;

    /** What was asked, checked: the bucket's root, and the object and local file (both null without --checkpoint). */
    record Plan(S3Location root, S3Location object, Path target) {
        static Plan of(String root, Path outputRoot, String checkpoint) {
            Location where;
            try {
                where = Location.parse(root);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--root: " + e.getMessage(), e);
            }
            if (!(where instanceof S3Location bucketRoot)) {
                throw new IllegalArgumentException("--root: '" + root + "' is a local path; stage reads a search root in "
                        + "a bucket (s3://bucket/prefix). On a volume the trainer reads the checkpoint where it is");
            }
            if (S3Location.isS3(outputRoot.toString())) {
                throw new IllegalArgumentException("--output-root: '" + outputRoot + "' must be a local folder");
            }
            if (checkpoint == null) {
                return new Plan(bucketRoot, null, null);
            }
            if (checkpoint.isBlank() || checkpoint.startsWith("/") || Path.of(checkpoint).isAbsolute()
                    || checkpoint.endsWith("/")) {
                throw new IllegalArgumentException("--checkpoint: '" + checkpoint + "' must be a file's path relative "
                        + "to --root, e.g. members/3/gen-1/attempt-0/model.safetensors");
            }
            try {
                return new Plan(bucketRoot, bucketRoot.resolve(checkpoint),
                        new CheckpointLayout(outputRoot).resolve(checkpoint));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--checkpoint: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        var out = spec.commandLine().getOut();
        Plan plan;
        try {
            plan = Plan.of(root, outputRoot, checkpoint);
        } catch (IllegalArgumentException e) {
            return TerminationLog.fail(err, terminationLog, "stage", Main.BAD_INPUT, e.getMessage(), e);
        }
        try (LazyS3 bucket = new LazyS3()) {
            S3Objects s3 = bucket.get();
            s3.requireReachable(plan.root());
            if (plan.object() == null) {
                out.println("pbtnas stage: " + plan.root() + " is reachable");
                return Main.OK;
            }
            long size;
            try {
                size = s3.size(plan.object());
            } catch (NoSuchFileException e) {
                return TerminationLog.fail(err, terminationLog, "stage", Main.FAILURE, "--checkpoint: " + plan.object()
                        + " does not exist; a step never starts from a fresh initialisation instead of its checkpoint "
                        + "(was it deleted from the bucket?)", e);
            }
            if (Files.isRegularFile(plan.target()) && Files.size(plan.target()) == size) {
                out.println("pbtnas stage: already there: " + plan.target());
                return Main.OK;
            }
            s3.download(plan.object(), plan.target());
            out.println("pbtnas stage: downloaded " + plan.object() + " to " + plan.target() + " (" + size + " bytes)");
            return Main.OK;
        } catch (IllegalArgumentException e) {
            // the AWS environment (a region, PBTNAS_S3_FORCE_PATH_STYLE) names what is wrong
            return TerminationLog.fail(err, terminationLog, "stage", Main.BAD_INPUT, e.getMessage(), e);
        } catch (IOException e) {
            return TerminationLog.fail(err, terminationLog, "stage", Main.FAILURE, "I/O failure: " + e.getMessage(), e);
        }
    }
}
