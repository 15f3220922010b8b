package io.pbtnas.core.mix;

import io.pbtnas.core.safetensors.DataAlignment;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Where the child's data should start so that the most bytes it copies from the parent and the
 * donor with kernel copies sit at their source's offset modulo {@link DataAlignment#MODULUS} (see
 * there for why). Which tensors are copied, and from which file, the caller says. Pure.
 */
final class CopyAlignment {
    private CopyAlignment() {
    }

    /**
     * The residue that aligns the most copied bytes (of equal totals, the one reached first); empty
     * when nothing is copied or no copied tensor can be aligned (its offsets disagree modulo 8).
     *
     * @param sources     the child's tensors in file order
     * @param copied      which of them are kernel copies
     * @param sourceStart a copied tensor's absolute offset in the file it is copied from
     */
    static Optional<DataAlignment> best(Iterable<TensorSource> sources, Predicate<TensorSource> copied,
                                        ToLongFunction<TensorSource> sourceStart) {
        Map<Long, Long> bytesByResidue = new HashMap<>();
        long bestResidue = -1;
        long bestBytes = 0;
        long childOffset = 0; // relative to the child's data start
        for (TensorSource s : sources) {
            long length = s.from().byteLength();
            if (length > 0 && copied.test(s)) {
                long residue = Math.floorMod(sourceStart.applyAsLong(s) - childOffset, (long) DataAlignment.MODULUS);
                if (residue % 8 == 0) {
                    long bytes = bytesByResidue.merge(residue, length, Long::sum);
                    if (bytes > bestBytes) {
                        bestBytes = bytes;
                        bestResidue = residue;
                    }
                }
            }
            childOffset += length;
        }
        return bestResidue < 0 ? Optional.empty() : Optional.of(new DataAlignment(bestResidue));
    }
}
