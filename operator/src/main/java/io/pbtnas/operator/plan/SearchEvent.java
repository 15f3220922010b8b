package io.pbtnas.operator.plan;

/**
 * A Kubernetes event a plan records on its search, for `kubectl describe`; the reasons pbtnas uses.
 *
 * @param warning Warning (true) or Normal
 */
public record SearchEvent(boolean warning, String reason, String message) {
    public static final String GENERATION_COMPLETED = "GenerationCompleted";
    public static final String MEMBER_REPLACED = "MemberReplaced";
    public static final String POD_FAILED = "PodFailed";
    /** A member pod was evicted, preempted or lost with its node: retried without using a retry. */
    public static final String POD_DISRUPTED = "PodDisrupted";
    /** A member pod is pending for a reason someone must fix (condition Stuck names it). */
    public static final String POD_STUCK = "PodStuck";
    /** Member pods began waiting for Kueue's admission (condition Queued says how many, where). */
    public static final String QUEUED = "Queued";
    /** No member pod waits for Kueue's admission any more. */
    public static final String ADMITTED = "Admitted";
    public static final String SEARCH_COMPLETED = "SearchCompleted";
    /** Warning: condition StorageUnavailable turned True (the bucket cannot be reached by the search's pods). */
    public static final String STORAGE_UNAVAILABLE = "StorageUnavailable";
    public static final String INVALID_SPEC = "InvalidSpec";
    public static final String POD_CREATION_FAILED = "PodCreationFailed";
    public static final String CHECKPOINTS_DELETED = "CheckpointsDeleted";
    /** A deleted search was let go with its cleanup not done (the message says what is left, and where). */
    public static final String CLEANUP_INCOMPLETE = "CleanupIncomplete";
    public static final String BEST_EXPORTED = "BestExported";
    public static final String EXPORT_FAILED = "ExportFailed";

    public static SearchEvent normal(String reason, String message) {
        return new SearchEvent(false, reason, message);
    }

    public static SearchEvent warning(String reason, String message) {
        return new SearchEvent(true, reason, message);
    }
}
