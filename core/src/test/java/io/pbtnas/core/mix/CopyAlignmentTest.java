package io.pbtnas.core.mix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.core.safetensors.DType;
import io.pbtnas.core.safetensors.DataAlignment;
import io.pbtnas.core.safetensors.TensorInfo;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CopyAlignmentTest {
    static TensorSource source(String name, long begin, long bytes, TensorSource.Kind kind) {
        return new TensorSource(new TensorInfo(name, DType.U8, new long[] {bytes}, begin, begin + bytes), kind);
    }

    @Test
    void theResidueAlignsTheMostCopiedBytesWithTheirSource() {
        long parentStart = 9128;
        // In the child: a (100 copied bytes), b (mixed, 40 bytes), c (1000 copied bytes); a and c
        // disagree on where the child's data must start, and c has more bytes.
        List<TensorSource> child = List.of(
                source("a", 0, 100, TensorSource.Kind.PARENT),
                source("b", 0, 40, TensorSource.Kind.SHRINK_PERTURB),
                source("c", 5012, 1000, TensorSource.Kind.PARENT));
        Optional<DataAlignment> best = CopyAlignment.best(child, s -> s.kind() == TensorSource.Kind.PARENT,
                s -> parentStart + s.from().begin());
        // c sits at child offset 140, so the child's data must start at 9128 + 5012 - 140 (mod 64 KiB).
        assertEquals(Optional.of(new DataAlignment(9128 + 5012 - 140)), best);
        long childStartOfC = best.orElseThrow().residue() + 140;
        assertEquals((parentStart + 5012) % DataAlignment.MODULUS, childStartOfC % DataAlignment.MODULUS);
    }

    @Test
    void nothingToAlignWhenNothingIsCopiedOrNoOffsetCanAgree() {
        List<TensorSource> mixedOnly = List.of(source("m", 0, 64, TensorSource.Kind.SHRINK_PERTURB));
        assertTrue(CopyAlignment.best(mixedOnly, s -> s.kind() == TensorSource.Kind.PARENT, s -> 0).isEmpty());
        // The copied tensor would need a data start off the 8-byte grid: not worth breaking alignment for.
        List<TensorSource> odd = List.of(source("x", 3, 64, TensorSource.Kind.PARENT));
        assertTrue(CopyAlignment.best(odd, s -> true, s -> 8 + s.from().begin()).isEmpty());
    }
}
