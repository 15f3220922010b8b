package io.pbtnas.operator.pods;

import io.pbtnas.core.engine.MixPlan;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.pod.ReservedNames;
import io.pbtnas.core.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;

/**
 * The command lines of the {@code pbtnas} command in the pods pbtnas builds (the cli's MixCommand,
 * VerifyCommand and ExportCommand, in the operator image). Paths are where the pod sees the volume.
 */
public final class PbtnasCommands {
    private PbtnasCommands() {
    }

    public static List<String> command() {
        return List.of("pbtnas");
    }

    /**
     * {@code pbtnas mix}: the plan's paths are relative to the search {@code root} (the volume's mount, or
     * the search's {@code s3://} root); the child goes under {@code outputRoot} (null: the root itself) and,
     * from a bucket, is also kept there at the plan's output key, as it is on a volume.
     */
    public static List<String> mix(MixPlan plan, SearchSpace space, String root, String outputRoot) {
        List<String> args = new ArrayList<>(List.of("mix", "--root", root));
        if (outputRoot != null) {
            args.addAll(List.of("--output-root", outputRoot, "--upload", root));
        }
        args.addAll(List.of("--plan", Json.write(plan), "--search-space", space.toJson(),
                "--termination-log", ReservedNames.TERMINATION_LOG));
        return args;
    }

    /**
     * {@code pbtnas stage}: checks the bucket, then downloads the step's input checkpoint (a path relative
     * to the search root; null for a step that starts from nothing) under {@code outputRoot}.
     */
    public static List<String> stage(String root, String outputRoot, String checkpoint) {
        List<String> args = new ArrayList<>(List.of("stage", "--root", root, "--output-root", outputRoot));
        if (checkpoint != null) {
            args.addAll(List.of("--checkpoint", checkpoint));
        }
        args.addAll(List.of("--termination-log", ReservedNames.TERMINATION_LOG));
        return args;
    }

    /**
     * {@code pbtnas verify} on a step's output folder; then, with {@code upload} (an {@code s3://} attempt
     * prefix), its upload; then deleting the folders it may prune.
     */
    public static List<String> verify(String outputDir, String genomeJson, int epoch, String upload, List<String> prune) {
        List<String> args = new ArrayList<>(List.of("verify", "--dir", outputDir, "--genome", genomeJson,
                "--epoch", Integer.toString(epoch), "--termination-log", ReservedNames.TERMINATION_LOG));
        if (upload != null) {
            args.addAll(List.of("--upload", upload));
        }
        for (String folder : prune) {
            args.add("--prune");
            args.add(folder);
        }
        return args;
    }

    /** {@code pbtnas export} of the search in {@code searchFile} onto the search's folder at {@code root}. */
    public static List<String> export(String root, String searchFile) {
        return List.of("export", "--root", root, "--search", searchFile, "--termination-log",
                ReservedNames.TERMINATION_LOG);
    }

    /** {@code pbtnas cleanup}: deletes every object under a search's {@code s3://} root. */
    public static List<String> cleanup(String root) {
        return List.of("cleanup", "--root", root, "--termination-log", ReservedNames.TERMINATION_LOG);
    }
}
