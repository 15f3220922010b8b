package io.pbtnas.cli;

import io.pbtnas.cli.steps.MixStep;
import io.pbtnas.cli.storage.Location;
import io.pbtnas.cli.storage.S3Location;
import io.pbtnas.cli.storage.LazyS3;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * `pbtnas mix`: writes a replaced member's child checkpoint from a mix plan.
 * The operator runs it as the init container of a replaced member's pod.
 */
@Command(name = "mix", mixinStandardHelpOptions = true, description = {
    "Write a child checkpoint by shrink-perturb mixing, as described by a mix plan.",
    "Every value can also come from the environment: PBTNAS_ROOT, PBTNAS_OUTPUT_ROOT, PBTNAS_MIX_PLAN, PBTNAS_SEARCH_SPACE.",
    "--root may be an s3://bucket/prefix: the parents are then streamed from the bucket (each read once, in order; "
        + "memory stays bounded) and the child is written under --output-root, a local folder. The bucket is reached "
        + "with the standard AWS environment: AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY "
        + "or AWS_PROFILE (or the pod's web identity).",
    "Idempotent: when the plan's output already exists and is readable, nothing is done.",
    "A bucket that cannot be reached (no such bucket, refused credentials, no connection) writes a termination "
        + "message starting with 'storage unavailable: ', which the operator turns into condition StorageUnavailable.",
    "Exit codes: 0 done, 2 bad input (the message names the flag/field), 1 I/O failure."})
public final class MixCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--root", paramLabel = "DIR",
            description = "The search root; the plan's checkpoint paths are relative to it. Env: PBTNAS_ROOT.")
    String root;

    @Option(names = "--output-root", paramLabel = "DIR",
            description = "Where the plan's output path is resolved: a local folder; default --root. Required when "
                    + "--root is an s3:// location. Env: PBTNAS_OUTPUT_ROOT.")
    String outputRoot;

    @Option(names = "--plan", paramLabel = "JSON",
            description = "The MixPlan as JSON (or @FILE). Env: PBTNAS_MIX_PLAN.")
    String plan;

    @Option(names = "--search-space", paramLabel = "JSON",
            description = "The search space {\"genes\":[...]} as JSON (or @FILE). Env: PBTNAS_SEARCH_SPACE.")
    String searchSpace;

    @Option(names = "--upload", paramLabel = "S3_ROOT",
            description = "After mixing, also keep the child in this s3:// search root at the plan's output path, as a "
                    + "volume keeps it (what the operator's pods on a bucket do). The mix is seeded, so an object "
                    + "already there of the same size is this plan's child (a retried step), not an error.")
    String upload;

    @Option(names = "--termination-log", paramLabel = "FILE",
            description = "Where the failure message also goes (a pod's termination message).")
    Path terminationLog;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        var out = spec.commandLine().getOut();
        try {
            String rootValue = required(root, "--root", "PBTNAS_ROOT");
            String planJson = text(required(plan, "--plan", "PBTNAS_MIX_PLAN"), "--plan");
            String spaceJson = text(required(searchSpace, "--search-space", "PBTNAS_SEARCH_SPACE"), "--search-space");
            Location parents = Location.parse(rootValue);
            String outputValue = outputRoot != null && !outputRoot.isBlank() ? outputRoot : System.getenv("PBTNAS_OUTPUT_ROOT");
            if (outputValue == null || outputValue.isBlank()) {
                if (parents instanceof S3Location) {
                    throw new IllegalArgumentException("--output-root: required when --root is an s3:// location "
                            + "(the child is written to a local folder, for the trainer); give --output-root or set "
                            + "PBTNAS_OUTPUT_ROOT");
                }
                outputValue = rootValue;
            }
            if (S3Location.isS3(outputValue)) {
                throw new IllegalArgumentException("--output-root: '" + outputValue + "' must be a local folder");
            }
            S3Location keep = upload == null || upload.isBlank() ? null : uploadRoot(upload);
            try (LazyS3 bucket = new LazyS3()) {
                MixStep.Result r = MixStep.fromJson(parents, Path.of(outputValue), planJson, spaceJson, bucket).run();
                out.println("pbtnas mix: " + (r.alreadyDone() ? "already done: " : "wrote ") + r.output());
                if (keep != null) {
                    String key = Path.of(outputValue).toAbsolutePath().normalize()
                            .relativize(r.output().toAbsolutePath().normalize()).toString().replace('\\', '/');
                    out.println("pbtnas mix: " + keepInBucket(bucket.get(), r.output(), keep.resolve(key)));
                }
            }
            return Main.OK;
        } catch (IllegalArgumentException e) {
            return TerminationLog.fail(err, terminationLog, "mix", Main.BAD_INPUT, e.getMessage(), e);
        } catch (IOException e) {
            return TerminationLog.fail(err, terminationLog, "mix", Main.FAILURE, "I/O failure: " + e.getMessage(), e);
        }
    }

    private static S3Location uploadRoot(String value) {
        if (!S3Location.isS3(value)) {
            throw new IllegalArgumentException("--upload: '" + value + "' must be an s3://bucket/prefix search root");
        }
        return S3Location.parse(value);
    }

    /** Puts the child at its key, unless this plan's child (same size) is there already. */
    private static String keepInBucket(io.pbtnas.cli.storage.S3Objects s3, Path child, S3Location target)
            throws IOException {
        try {
            s3.putNew(child, target);
            return "kept " + target;
        } catch (java.nio.file.FileAlreadyExistsException e) {
            long there = s3.size(target);
            if (there != Files.size(child)) {
                throw new IOException(target + " exists with " + there + " bytes, the child has " + Files.size(child)
                        + ": another plan's child at this key; nothing replaced", e);
            }
            return "already kept: " + target;
        }
    }

    private static String required(String flag, String name, String env) {
        if (flag != null && !flag.isBlank()) {
            return flag;
        }
        String v = System.getenv(env);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(name + ": required (give " + name + " or set " + env + ")");
        }
        return v;
    }

    /** A value, or the contents of the file after '@'. */
    private static String text(String value, String name) throws IOException {
        if (!value.startsWith("@")) {
            return value;
        }
        Path p = Path.of(value.substring(1));
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException(name + ": file " + p + " not found");
        }
        return Files.readString(p);
    }
}
