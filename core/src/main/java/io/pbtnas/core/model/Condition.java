package io.pbtnas.core.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * A status condition. Made only by {@code SearchConditions} (package status), which owns every type,
 * its reasons and the transition-time rule; the descriptions here are tested against its
 * {@code ConditionType} (the CRD shows them).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Condition(
        @JsonPropertyDescription(Condition.TYPES)
        String type,
        @JsonPropertyDescription("True, False or Unknown.")
        ConditionStatus status,
        @JsonPropertyDescription(Condition.REASONS)
        String reason,
        @JsonPropertyDescription("Human-readable details.")
        String message,
        @JsonPropertyDescription("metadata.generation of the spec this condition was computed from.")
        Long observedGeneration,
        @JsonPropertyDescription("When the status last changed (RFC 3339).")
        String lastTransitionTime) {

    /** What the CRD says of status.conditions[].type: ConditionType.typesDescription(), tested. */
    public static final String TYPES = "One of: Ready (True while the spec is valid and the search has not failed); Progressing (True "
            + "while members train; its message is the progress); Degraded (True once a member failed for "
            + "good, or the search failed); Complete (True once every generation is trained; status.best is "
            + "then final); Failed (True once the search failed; status.message says why); Paused (True while "
            + "an edit left the spec invalid: no pod is created or deleted until it is fixed); Stuck (True "
            + "while a member pod waits for something only a person can fix; names up to five pods); Queued "
            + "(True while member pods wait for Kueue's admission; names the LocalQueue and how many pods "
            + "wait); Suspended (True while spec.suspend is; False once a suspended search resumed); "
            + "PodCreationFailed (True while the API server refuses one of the search's pods); "
            + "StorageUnavailable (On a search on spec.storage.s3: True while the bucket cannot be reached by "
            + "the search's pods; absent on a volume); Cleanup (On a deleted search: what its finalizer waits "
            + "for); Exported (True once best/, history.json and report.html are written, on the volume or in "
            + "the bucket).";
    /** What the CRD says of status.conditions[].reason: ConditionType.reasonsDescription(), tested. */
    public static final String REASONS = "CamelCase reason of the last transition, by type: Ready: SpecValid, SearchFailed, InvalidSpec, "
            + "PopulationChanged, ScheduleChanged; Progressing: Training, Complete, SearchFailed, "
            + "InvalidSpec, PopulationChanged, ScheduleChanged; Degraded: AllMembersHealthy, MembersFailed, "
            + "InvalidSpec, PopulationChanged, ScheduleChanged; Complete: Complete, InProgress, SearchFailed, "
            + "InvalidSpec, PopulationChanged, ScheduleChanged; Failed: SearchFailed, NotFailed; Paused: "
            + "InvalidSpec; Stuck: NoStuckPods, Unschedulable, ErrImagePull, ImagePullBackOff, "
            + "CreateContainerConfigError, InvalidImageName; Queued: WaitingForAdmission, Admitted; "
            + "Suspended: Suspended, Resumed; PodCreationFailed: QuotaExceeded, AdmissionDenied, Invalid, "
            + "Forbidden, ApiError; StorageUnavailable: BucketUnreachable, BucketReachable; Cleanup: Waiting, "
            + "Blocked; Exported: NotComplete, Exporting, Exported, ExportFailed.";

    @JsonIgnore
    public boolean isTrue() {
        return status == ConditionStatus.TRUE;
    }
}
