package io.pbtnas.operator.pods;

/** The names of the containers in the pods pbtnas builds (PodObserver reads pods back by them). */
public final class ContainerNames {
    /** A member step's trainer: the member pod's last init container. */
    public static final String TRAINER = "trainer";
    /** A replaced member's child, mixed from its parents before the trainer starts. */
    public static final String MIX = "mix";
    /** On a bucket: checks it, and downloads the step's input checkpoint into the pod's work folder. */
    public static final String STAGE = "stage";
    /** Generation 0 only: creates the search's folder as the pod's own user. */
    public static final String SEARCH_DIR = "search-dir";
    /** The member pod's main container: checks the trainer's outputs, so the pod succeeds only then. */
    public static final String VERIFY = "verify";
    public static final String EXPORT = "export";
    public static final String CLEANUP = "cleanup";

    /** The containers that run the operator image (the {@code pbtnas} command), not a trainer. */
    public static final java.util.List<String> OPERATOR_IMAGE = java.util.List.of(SEARCH_DIR, MIX, STAGE, VERIFY,
            EXPORT, CLEANUP);

    private ContainerNames() {
    }
}
