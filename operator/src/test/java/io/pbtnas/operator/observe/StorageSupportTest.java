package io.pbtnas.operator.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.core.model.S3Storage;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.StorageSpec;
import io.pbtnas.operator.pods.PodBuildersTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Until the S3 data path lands, a search on a bucket is refused by name, not half run on no volume. */
class StorageSupportTest {
    @Test
    void aSearchOnABucketIsNotRunYetAndSaysSo() {
        SearchSpec onVolume = PodBuildersTest.spec();
        assertEquals(List.of(), ObservedSearch.problems(onVolume));
        SearchSpec onBucket = new SearchSpec(onVolume.strategy(), onVolume.population(), onVolume.generations(),
                onVolume.epochsPerGeneration(), onVolume.objective(), onVolume.seed(), onVolume.selection(),
                onVolume.mixing(), onVolume.searchSpace(), onVolume.trainer(),
                new StorageSpec(null, null, null, new S3Storage("team-bucket", null, null, null, null, null)),
                onVolume.parallelism(), onVolume.failurePolicy());
        List<String> p = ObservedSearch.problems(onBucket);
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("spec.storage.s3: this operator version does not run searches on a bucket yet"),
                p.get(0));
    }
}
