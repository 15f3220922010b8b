package io.pbtnas.core.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.core.model.PvcRef;
import io.pbtnas.core.model.S3Storage;
import io.pbtnas.core.model.StorageSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class StorageRulesTest {
    private static StorageSpec s3(S3Storage s3) {
        return new StorageSpec(null, null, null, s3);
    }

    @Test
    void aWellFormedBucketHasNoProblems() {
        assertEquals(List.of(), StorageRules.problems(s3(new S3Storage("team-bucket", "searches/team-a",
                "https://storage.googleapis.com", "eu-west-1", null,
                new S3Storage.S3Credentials("bucket-keys", "access", "secret")))));
        assertEquals(List.of(), StorageRules.problems(s3(new S3Storage("b.1-x", null, "http://minio.storage:9000/",
                null, true, null))));
        assertEquals(List.of(), StorageRules.problems(new StorageSpec(new PvcRef("ckpt"), null)));
    }

    @Test
    void eachProblemNamesItsField() {
        assertEquals(List.of("spec.storage: give exactly one of persistentVolumeClaim and s3, not both"),
                StorageRules.problems(new StorageSpec(new PvcRef("ckpt"), null, null, new S3Storage("bucket", null,
                        null, null, null, null))));
        List<String> p = StorageRules.problems(s3(new S3Storage("Team_Bucket", "/abs/../x", "minio:9000", "EU West",
                null, new S3Storage.S3Credentials(null, "a key", null))));
        assertEquals(6, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("spec.storage.s3.bucket: 'Team_Bucket' is not a valid S3 bucket name"), p.get(0));
        assertTrue(p.get(1).startsWith("spec.storage.s3.prefix: '/abs/../x'"), p.get(1));
        assertTrue(p.get(2).startsWith("spec.storage.s3.endpoint: 'minio:9000' must be an https:// or http:// URL"),
                p.get(2));
        assertTrue(p.get(3).startsWith("spec.storage.s3.region: 'EU West'"), p.get(3));
        assertTrue(p.get(4).startsWith("spec.storage.s3.credentialsSecret.name: required"), p.get(4));
        assertTrue(StorageRules.problems(s3(new S3Storage("ok-bucket", null, "https://s3.example/path", null, null,
                null))).get(0).contains("(no path)"));
    }

    @Test
    void bucketNamesFollowS3sRules() {
        for (String good : List.of("abc", "a.b-c", "team-bucket-2026")) {
            assertNull(StorageRules.bucketNameProblem(good), good);
        }
        for (String bad : List.of("ab", "-abc", "abc-", "a..b", "ABC", "a_b", "192.168.1.1", "a".repeat(64))) {
            assertTrue(StorageRules.bucketNameProblem(bad) != null, bad);
        }
    }
}
