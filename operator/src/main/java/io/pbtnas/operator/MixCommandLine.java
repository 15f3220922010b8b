package io.pbtnas.operator;

import io.pbtnas.core.engine.MixPlan;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.space.SearchSpace;
import java.util.List;

/**
 * The init container's command line for a replaced member:
 * {@code pbtnas mix --root <mount> --plan <MixPlan JSON> --search-space <JSON>} (the cli's MixCommand).
 * The plan's paths are relative to the search root, which member pods see at the mount path.
 */
public final class MixCommandLine {
    private MixCommandLine() {}

    public static List<String> command() {
        return List.of("pbtnas");
    }

    public static List<String> args(MixPlan plan, SearchSpace space, String mountPath) {
        return List.of("mix", "--root", mountPath, "--plan", Json.write(plan), "--search-space", space.toJson());
    }

    static String onVolume(String mountPath, String relative) {
        String base = mountPath.endsWith("/") ? mountPath.substring(0, mountPath.length() - 1) : mountPath;
        return base + "/" + (relative.startsWith("/") ? relative.substring(1) : relative);
    }
}
