package io.pbtnas.operator.pods;

import io.pbtnas.core.layout.CheckpointLayout;
import io.pbtnas.operator.api.PbtNasSearch;

/** Where a search's files are on the shared volume (core's {@link CheckpointLayout}), and in a pod's view of it. */
public final class VolumePaths {
    private VolumePaths() {
    }

    /** {@code <namespace>/<search>-<uid8>}: the subPath every member and export pod mounts. */
    public static String searchFolder(PbtNasSearch search) {
        var meta = search.getMetadata();
        return CheckpointLayout.searchFolder(meta.getNamespace(), meta.getName(), meta.getUid());
    }

    /** {@code <search>-<uid8>}: the search's folder below its namespace's. */
    public static String searchDirName(PbtNasSearch search) {
        return CheckpointLayout.searchDirName(search.getMetadata().getName(), search.getMetadata().getUid());
    }

    /** A path relative to the search root, as a pod that mounts the root at {@code mountPath} sees it. */
    public static String onVolume(String mountPath, String relative) {
        String base = mountPath.endsWith("/") ? mountPath.substring(0, mountPath.length() - 1) : mountPath;
        return base + "/" + (relative.startsWith("/") ? relative.substring(1) : relative);
    }
}
