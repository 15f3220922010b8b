package io.pbtnas.operator;

/** Where a search's files live on the shared volume: {@code <namespace>/<search>-<uid8>}. */
public final class SearchVolume {
    /** Where the pod that creates a search's directory sees the volume's root (see PodFactory). */
    public static final String VOLUME_ROOT = io.pbtnas.core.model.TrainerPodRules.VOLUME_ROOT_PATH;

    private SearchVolume() {}

    /** The uid suffix keeps a re-created search with the same name away from the old files. */
    public static String directoryName(PbtNasSearch search) {
        String uid = search.getMetadata().getUid();
        return search.getMetadata().getName() + "-" + uid.replace("-", "").substring(0, 8);
    }

    public static String subPath(PbtNasSearch search) {
        return search.getMetadata().getNamespace() + "/" + directoryName(search);
    }
}
