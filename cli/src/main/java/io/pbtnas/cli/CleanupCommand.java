package io.pbtnas.cli;

import io.pbtnas.cli.storage.LazyS3;
import io.pbtnas.cli.storage.Location;
import io.pbtnas.cli.storage.S3Location;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * `pbtnas cleanup`: deletes a search's objects from its bucket (the operator's cleanup pod, when a
 * search whose checkpoints live in a bucket is deleted). The prefix is taken as a folder, so another
 * search whose prefix merely starts the same way keeps its objects.
 */
@Command(name = "cleanup", mixinStandardHelpOptions = true, description = {
    "Delete every object of a search root in a bucket (s3://bucket/prefix/) and print how many.",
    "The prefix is a folder: s3://b/searches/ns/a-1234abcd deletes the keys under searches/ns/a-1234abcd/, never those "
        + "of searches/ns/a-1234abcd-other/. A whole bucket (no key) and a local path are refused; a volume's folder "
        + "is deleted by the operator's cleanup pod with rm.",
    "The bucket is reached with the standard AWS environment: AWS_ENDPOINT_URL, AWS_REGION, "
        + "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE (or the pod's web identity).",
    "Idempotent: nothing left to delete is success.",
    "Exit codes: 0 done, 1 the objects could not be deleted (a bucket that cannot be reached: the termination message "
        + "starts with 'storage unavailable: '), 2 bad input (the message names the flag)."})
public final class CleanupCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--root", required = true, paramLabel = "S3",
            description = "The search root in the bucket: s3://bucket/prefix (a key prefix is required).")
    String root;

    @Option(names = "--termination-log", paramLabel = "FILE",
            description = "Where the failure message also goes (a pod's termination message).")
    Path terminationLog;

    /** The prefix to delete, or IllegalArgumentException naming --root and the fix. */
    static S3Location prefix(String root) {
        Location where;
        try {
            where = Location.parse(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--root: " + e.getMessage(), e);
        }
        if (!(where instanceof S3Location s3)) {
            throw new IllegalArgumentException("--root: '" + root + "' is a local path; cleanup deletes a search's "
                    + "objects in a bucket (s3://bucket/prefix). A volume's folder is deleted by the operator's cleanup "
                    + "pod with rm");
        }
        if (s3.key().isEmpty()) {
            throw new IllegalArgumentException("--root: '" + root + "' has no key prefix; cleanup never deletes a whole "
                    + "bucket. Give the search root, e.g. s3://" + s3.bucket() + "/searches/<namespace>/<search>-<uid8>");
        }
        return new S3Location(s3.bucket(), s3.prefix());
    }

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        S3Location prefix;
        try {
            prefix = prefix(root);
        } catch (IllegalArgumentException e) {
            return TerminationLog.fail(err, terminationLog, "cleanup", Main.BAD_INPUT, e.getMessage(), e);
        }
        try (LazyS3 s3 = new LazyS3()) {
            int deleted = s3.get().deleteUnder(prefix);
            spec.commandLine().getOut().println("pbtnas cleanup: deleted " + deleted + " objects under " + prefix);
            return Main.OK;
        } catch (IllegalArgumentException e) {
            return TerminationLog.fail(err, terminationLog, "cleanup", Main.BAD_INPUT, e.getMessage(), e);
        } catch (IOException e) {
            return TerminationLog.fail(err, terminationLog, "cleanup", Main.FAILURE, "I/O failure: " + e.getMessage(), e);
        }
    }
}
