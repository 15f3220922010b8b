package io.pbtnas.cli.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pbtnas.core.safetensors.ByteSource.Range;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How announced reads become GETs: nearby ranges share one, far ones get their own. */
class S3ObjectSourceTest {
    @Test
    void rangesWithSmallGapsShareAGetAndLargeGapsStartANewOne() {
        long gap = S3ObjectSource.MAX_GAP;
        Range a = new Range(8, 100);
        Range b = new Range(108, 50); // adjacent
        Range c = new Range(158 + gap, 10); // exactly the largest gap still read through
        Range d = new Range(168 + gap + gap + 1, 10); // one byte more: its own GET
        List<S3ObjectSource.Run> runs = S3ObjectSource.runs(List.of(a, new Range(120, 0), b, c, d));
        assertEquals(List.of(new S3ObjectSource.Run(8, 168 + gap, List.of(a, b, c)),
                new S3ObjectSource.Run(d.start(), d.end(), List.of(d))), runs);
    }
}
