package io.pbtnas.core.status;

import java.util.Arrays;
import java.util.Optional;

/** Every reason a condition of a search can carry, with what it means ({@link ConditionType} says which go where). */
public enum Reason {
    SPEC_VALID("SpecValid", "the spec is valid"),
    TRAINING("Training", "members are training"),
    IN_PROGRESS("InProgress", "the search is not finished"),
    COMPLETE("Complete", "every generation is trained and status.best is final"),
    SEARCH_FAILED("SearchFailed", "the search failed (status.message says why)"),
    NOT_FAILED("NotFailed", "the search has not failed"),
    INVALID_SPEC("InvalidSpec", "the spec breaks a rule the operator checks; fix it to resume"),
    POPULATION_CHANGED("PopulationChanged", "spec.population changed on a running search"),
    SCHEDULE_CHANGED("ScheduleChanged", "spec.schedule changed after a step was trained"),
    ALL_MEMBERS_HEALTHY("AllMembersHealthy", "no member has failed for good"),
    MEMBERS_FAILED("MembersFailed", "members failed for good (the message names them)"),
    NO_STUCK_PODS("NoStuckPods", "no member pod waits for a fix"),
    UNSCHEDULABLE("Unschedulable", "the scheduler cannot place a member pod"),
    ERR_IMAGE_PULL("ErrImagePull", "an image cannot be pulled"),
    IMAGE_PULL_BACK_OFF("ImagePullBackOff", "an image cannot be pulled (backing off)"),
    CREATE_CONTAINER_CONFIG_ERROR("CreateContainerConfigError", "a container's config is invalid, e.g. a missing Secret"),
    INVALID_IMAGE_NAME("InvalidImageName", "an image name is invalid"),
    SUSPENDED("Suspended", "spec.suspend is true"),
    RESUMED("Resumed", "spec.suspend went back to false, or the search ended while suspended"),
    QUOTA_EXCEEDED("QuotaExceeded", "a ResourceQuota refused a pod; retried with backoff"),
    ADMISSION_DENIED("AdmissionDenied", "an admission webhook refused a pod; retried with backoff"),
    INVALID("Invalid", "the API server found a pod invalid (HTTP 422); retried with backoff"),
    FORBIDDEN("Forbidden", "the API server forbade a pod (HTTP 403); retried with backoff"),
    API_ERROR("ApiError", "another API error; retried with backoff"),
    WAITING_FOR_ADMISSION("WaitingForAdmission", "member pods wait for Kueue to admit them (its scheduling gate)"),
    ADMITTED("Admitted", "no member pod waits for Kueue's admission any more"),
    WAITING("Waiting", "the finalizer waits for pods to stop or for the cleaner pod"),
    BLOCKED("Blocked", "the cleaner pod cannot run or is stuck"),
    NOT_COMPLETE("NotComplete", "the search is not complete yet"),
    EXPORTING("Exporting", "an export pod runs, or waits for its retry"),
    EXPORTED("Exported", "best/, history.json and report.html are written"),
    EXPORT_FAILED("ExportFailed", "every export attempt failed"),
    BUCKET_UNREACHABLE("BucketUnreachable", "a member pod could not reach spec.storage.s3's bucket (missing bucket, "
            + "refused credentials, no connection); the message names the Secret and the S3 error; retried with backoff"),
    BUCKET_REACHABLE("BucketReachable", "a member step's checkpoint was uploaded to the bucket since");

    private final String code;
    private final String meaning;

    Reason(String code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** The CamelCase string in status.conditions[].reason. */
    public String code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }

    public static Optional<Reason> of(String code) {
        return Arrays.stream(values()).filter(r -> r.code.equals(code)).findFirst();
    }

    /** The reason of {@code code}; a string no reason has is a programming error. */
    public static Reason require(String code) {
        return of(code).orElseThrow(() -> new IllegalArgumentException("no condition reason " + code));
    }
}
