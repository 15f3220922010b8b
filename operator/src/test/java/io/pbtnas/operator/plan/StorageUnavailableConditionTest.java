package io.pbtnas.operator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.pbtnas.core.model.Condition;
import io.pbtnas.core.model.ConditionStatus;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.core.pod.StorageFailure;
import io.pbtnas.core.status.ConditionType;
import io.pbtnas.core.status.Reason;
import io.pbtnas.operator.observe.PodObserver;
import io.pbtnas.operator.pods.PodLabels;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StorageUnavailableConditionTest {
    private static final Instant T1 = Instant.parse("2026-01-01T00:01:00Z");
    private static final Instant T2 = Instant.parse("2026-01-01T00:02:00Z");
    private static final SearchStatus ENGINE = new SearchStatus(null, 0, null, List.of(), List.of(), null, null);
    private static final String SECRET = "Secret team-s3, keys AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY";

    /** A finished member pod; {@code stageMessage} non-null: its stage container failed with that termination message. */
    static Pod pod(int member, int attempt, String phase, String stageMessage, String finishedAt) {
        var status = new ContainerStatusBuilder().withName(stageMessage == null ? "verify" : "stage")
                .withNewState().withNewTerminated().withExitCode(stageMessage == null ? 0 : 1)
                .withMessage(stageMessage).withFinishedAt(finishedAt).endTerminated().endState().build();
        return new PodBuilder().withNewMetadata().withName("fm-m" + member + "-g0-a" + attempt)
                .withLabels(PodLabels.member("fm", member, 0, attempt)).endMetadata()
                .withNewStatus().withPhase(phase).withContainerStatuses(status).endStatus().build();
    }

    static SearchStatus finish(SearchStatus persisted, Instant now, List<Pod> pods) {
        return SearchPlanner.finish(ENGINE, persisted, 1, now, null, List.of(), false, null, 0,
                PodObserver.bucket(pods), SECRET);
    }

    @Test
    void anUnreachableBucketNamesTheSecretAndTheS3CodeUntilAStepIsUploaded() {
        String denied = StorageFailure.message("checking s3://team-bucket: InvalidAccessKeyId (HTTP 403): check the "
                + "credentials");
        SearchStatus down = finish(null, T1, List.of(pod(0, 0, "Failed", denied, "2026-01-01T00:00:30Z")));
        Condition c = down.condition(ConditionType.STORAGE_UNAVAILABLE.code()).orElseThrow();
        assertEquals(ConditionStatus.TRUE, c.status());
        assertEquals(Reason.BUCKET_UNREACHABLE.code(), c.reason());
        assertTrue(c.message().contains("InvalidAccessKeyId") && c.message().contains("Secret team-s3")
                && c.message().contains("s3://team-bucket") && c.message().startsWith("pod fm-m0-g0-a0: "), c.message());
        assertEquals(List.of(SearchEvent.STORAGE_UNAVAILABLE),
                Announcements.of(null, down).stream().map(SearchEvent::reason).toList());

        // The failed pod is deleted once recorded: the condition stays as it was, with its transition time.
        SearchStatus still = finish(down, T2, List.of());
        Condition kept = still.condition(ConditionType.STORAGE_UNAVAILABLE.code()).orElseThrow();
        assertEquals(ConditionStatus.TRUE, kept.status());
        assertEquals(c.message(), kept.message());
        assertEquals(T1.toString(), kept.lastTransitionTime());
        assertEquals(List.of(), Announcements.of(down, still), "no second warning");

        // A step uploaded after it: the bucket is reachable again.
        SearchStatus up = finish(still, T2, List.of(pod(0, 0, "Failed", denied, "2026-01-01T00:00:30Z"),
                pod(0, 1, "Succeeded", null, "2026-01-01T00:01:30Z")));
        Condition back = up.condition(ConditionType.STORAGE_UNAVAILABLE.code()).orElseThrow();
        assertEquals(ConditionStatus.FALSE, back.status());
        assertEquals(Reason.BUCKET_REACHABLE.code(), back.reason());
    }

    @Test
    void aSuccessBeforeTheLatestFailureDoesNotHideIt() {
        String gone = StorageFailure.message("checking s3://team-bucket: NoSuchBucket (HTTP 404)");
        SearchStatus s = finish(null, T1, List.of(pod(1, 0, "Succeeded", null, "2026-01-01T00:00:10Z"),
                pod(2, 0, "Failed", gone, "2026-01-01T00:00:20Z")));
        assertTrue(s.condition(ConditionType.STORAGE_UNAVAILABLE.code()).orElseThrow().isTrue());
    }

    @Test
    void otherFailuresAndVolumesLeaveNoCondition() {
        SearchStatus s = finish(null, T1, List.of(pod(1, 0, "Failed", "reading s3://team-bucket/members/1/gen-0/"
                + "model.safetensors: NoSuchKey", "2026-01-01T00:00:20Z")));
        assertFalse(s.condition(ConditionType.STORAGE_UNAVAILABLE.code()).isPresent(),
                "a missing object is a failed step, not an unreachable bucket");
        SearchStatus volume = SearchPlanner.finish(ENGINE, null, 1, T1, null, List.of(), false, null, 0);
        assertFalse(volume.condition(ConditionType.STORAGE_UNAVAILABLE.code()).isPresent());
    }
}
