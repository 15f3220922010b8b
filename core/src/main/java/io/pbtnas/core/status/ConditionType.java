package io.pbtnas.core.status;

import static io.pbtnas.core.status.Reason.*;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every condition type a search's status can carry, what it means and the reasons it may give: the one
 * source of the CRD's description of status.conditions and of docs/usage.md's table (tests compare both).
 */
public enum ConditionType {
    READY("Ready", "True while the spec is valid and the search has not failed.",
            SPEC_VALID, SEARCH_FAILED, INVALID_SPEC, POPULATION_CHANGED, SCHEDULE_CHANGED),
    PROGRESSING("Progressing", "True while members train; its message is the progress.",
            TRAINING, Reason.COMPLETE, SEARCH_FAILED, INVALID_SPEC, POPULATION_CHANGED, SCHEDULE_CHANGED),
    DEGRADED("Degraded", "True once a member failed for good, or the search failed.",
            ALL_MEMBERS_HEALTHY, MEMBERS_FAILED, INVALID_SPEC, POPULATION_CHANGED, SCHEDULE_CHANGED),
    COMPLETE("Complete", "True once every generation is trained; status.best is then final.",
            Reason.COMPLETE, IN_PROGRESS, SEARCH_FAILED, INVALID_SPEC, POPULATION_CHANGED, SCHEDULE_CHANGED),
    FAILED("Failed", "True once the search failed; status.message says why.", SEARCH_FAILED, NOT_FAILED),
    PAUSED("Paused", "True while an edit left the spec invalid: no pod is created or deleted until it is fixed.",
            INVALID_SPEC),
    STUCK("Stuck", "True while a member pod waits for something only a person can fix; names up to five pods.",
            NO_STUCK_PODS, UNSCHEDULABLE, ERR_IMAGE_PULL, IMAGE_PULL_BACK_OFF, CREATE_CONTAINER_CONFIG_ERROR,
            INVALID_IMAGE_NAME),
    QUEUED("Queued", "True while member pods wait for Kueue's admission; names the LocalQueue and how many pods wait.",
            WAITING_FOR_ADMISSION, ADMITTED),
    SUSPENDED("Suspended", "True while spec.suspend is; False once a suspended search resumed.", Reason.SUSPENDED,
            RESUMED),
    POD_CREATION_FAILED("PodCreationFailed", "True while the API server refuses one of the search's pods.",
            QUOTA_EXCEEDED, ADMISSION_DENIED, INVALID, FORBIDDEN, API_ERROR),
    STORAGE_UNAVAILABLE("StorageUnavailable", "On a search on spec.storage.s3: True while the bucket cannot be reached "
            + "by the search's pods; absent on a volume.", BUCKET_UNREACHABLE, BUCKET_REACHABLE),
    CLEANUP("Cleanup", "On a deleted search: what its finalizer waits for.", WAITING, BLOCKED),
    EXPORTED("Exported", "True once best/, history.json and report.html are written, on the volume or in the bucket.",
            NOT_COMPLETE, EXPORTING, Reason.EXPORTED, EXPORT_FAILED);

    private final String code;
    private final String meaning;
    private final List<Reason> reasons;

    ConditionType(String code, String meaning, Reason... reasons) {
        this.code = code;
        this.meaning = meaning;
        this.reasons = List.of(reasons);
    }

    /** The string in status.conditions[].type. */
    public String code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }

    public List<Reason> reasons() {
        return reasons;
    }

    public static Optional<ConditionType> of(String code) {
        return Arrays.stream(values()).filter(t -> t.code.equals(code)).findFirst();
    }

    /** The description of status.conditions[].type, as the CRD must show it ({@code Condition.TYPES}). */
    public static String typesDescription() {
        return "One of: " + Arrays.stream(values()).map(t -> t.code + " (" + stripDot(t.meaning) + ")")
                .collect(Collectors.joining("; ")) + ".";
    }

    /** The description of status.conditions[].reason, as the CRD must show it ({@code Condition.REASONS}). */
    public static String reasonsDescription() {
        return "CamelCase reason of the last transition, by type: " + Arrays.stream(values())
                .map(t -> t.code + ": " + t.reasons.stream().map(Reason::code).collect(Collectors.joining(", ")))
                .collect(Collectors.joining("; ")) + ".";
    }

    /** docs/usage.md's table of conditions. */
    public static String markdownTable() {
        StringBuilder s = new StringBuilder("| condition | what it says | reasons |\n|---|---|---|\n");
        for (ConditionType t : values()) {
            s.append("| `").append(t.code).append("` | ").append(t.meaning).append(" | ")
                    .append(t.reasons.stream().map(r -> "`" + r.code() + "`: " + r.meaning())
                            .collect(Collectors.joining("; ")))
                    .append(" |\n");
        }
        return s.toString();
    }

    private static String stripDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
