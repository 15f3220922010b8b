package io.pbtnas.operator.pods;

import io.pbtnas.core.engine.MixPlan;
import io.pbtnas.core.json.Json;
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

    /** {@code pbtnas mix}: the plan's paths are relative to the search root, which the pod sees at {@code mount}. */
    public static List<String> mix(MixPlan plan, SearchSpace space, String mount) {
        return List.of("mix", "--root", mount, "--plan", Json.write(plan), "--search-space", space.toJson());
    }

    /** {@code pbtnas verify} on a step's output folder, then deleting the folders it may prune. */
    public static List<String> verify(String outputDir, String genomeJson, int epoch, List<String> prune) {
        List<String> args = new ArrayList<>(List.of("verify", "--dir", outputDir, "--genome", genomeJson,
                "--epoch", Integer.toString(epoch), "--termination-log", io.pbtnas.core.pod.ReservedNames.TERMINATION_LOG));
        for (String folder : prune) {
            args.add("--prune");
            args.add(folder);
        }
        return args;
    }

    /** {@code pbtnas export} of the search in {@code searchFile} onto the search's folder at {@code root}. */
    public static List<String> export(String root, String searchFile) {
        return List.of("export", "--root", root, "--search", searchFile);
    }
}
