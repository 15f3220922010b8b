package io.pbtnas.core.pod;

import java.util.List;
import java.util.Set;

/**
 * The names and paths in the pods pbtnas builds that stay pbtnas's own: a search's trainer settings may
 * not use them ({@code validation.TrainerPodRules} refuses one that does), and the operator's pods use these.
 */
public final class ReservedNames {
    /** Labels and annotations under this prefix are pbtnas's own (search, member, generation, ...). */
    public static final String OWN_PREFIX = "pbtnas.io/";
    /** Member pods name their trainer container here, so that `kubectl logs` shows the trainer. */
    public static final String DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container";
    /** The shared volume (spec.storage) in every pod. */
    public static final String CHECKPOINT_VOLUME = "checkpoints";
    /** The writable emptyDir at /tmp under restricted pod security. */
    public static final String TMP_VOLUME = "tmp";
    /** Where member pods see the search's directory on the shared volume (the operator's default). */
    public static final String DATA_PATH = "/data";
    public static final String TMP_PATH = "/tmp";
    /** Where the container that creates the search's directory sees the volume's root. */
    public static final String VOLUME_ROOT_PATH = "/pbtnas-volume";
    public static final String TERMINATION_LOG = "/dev/termination-log";
    public static final Set<String> OWN_VOLUMES = Set.of(CHECKPOINT_VOLUME, TMP_VOLUME);
    public static final List<String> OWN_PATHS = List.of(DATA_PATH, TMP_PATH, VOLUME_ROOT_PATH, TERMINATION_LOG);

    private ReservedNames() {
    }
}
