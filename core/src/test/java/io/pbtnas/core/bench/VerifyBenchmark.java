package io.pbtnas.core.bench;

import io.pbtnas.core.checkpoint.CheckpointMetadata;
import io.pbtnas.core.contract.TrainerOutput;
import io.pbtnas.core.safetensors.DType;
import io.pbtnas.core.safetensors.TensorSpec;
import io.pbtnas.core.space.Genome;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * What each check of `pbtnas verify` costs inside its JVM, against the reads a stricter check would
 * need: the check as it is (metrics.json, then the checkpoint's header and sizes against the file's
 * length, genome and epoch), a full read of the checkpoint, and a full read that also looks at every
 * F32 value for NaN or infinity. The JVM's own start is not here (benchmarks/jvm-start/ measures the
 * whole process). Options: -Dbench.mib=1,100,1024 -Dbench.dir=/tmp -Dbench.rounds=7. The files are in
 * the page cache when timed (round 0 warms it and the JIT and is not counted), as they are right after
 * the trainer wrote them.
 */
public final class VerifyBenchmark {
    static final Genome GENOME = new Genome(Map.of("cell0", "a", "cell1", "b"));
    static final int EPOCH = 3;

    public static void main(String[] args) throws IOException {
        int[] sizes = Arrays.stream(System.getProperty("bench.mib", "1,100,1024").split(","))
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        int rounds = Integer.getInteger("bench.rounds", 7);
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", "/tmp")), "pbtnas-verifybench-");
        try {
            boolean first = true;
            System.out.println("| checkpoint | tensors | check (header, sizes, genome, epoch) ms | full read ms | "
                    + "full read + finite scan ms | first check in a fresh JVM ms |");
            System.out.println("|---|---|---|---|---|---|");
            for (int mib : sizes) {
                Path step = Files.createDirectories(dir.resolve(mib + "MiB"));
                int tensors = write(step, mib);
                Path model = step.resolve("model.safetensors");
                long firstCheck = first ? time(() -> check(step)) : -1;
                first = false;
                List<long[]> samples = new ArrayList<>();
                for (int r = 0; r <= rounds; r++) {
                    long[] t = {time(() -> check(step)), time(() -> read(model, false)), time(() -> read(model, true))};
                    if (r > 0) {
                        samples.add(t);
                    }
                }
                System.out.printf("| %d MiB | %d | %s | %s | %s | %s |%n", mib, tensors, median(samples, 0),
                        median(samples, 1), median(samples, 2), firstCheck < 0 ? "-" : ms(firstCheck));
            }
            System.out.println("medians of " + rounds + " rounds; nanosecond clock; files in the page cache");
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The check `pbtnas verify` runs; returns the score's bits so the JIT cannot drop it. */
    static long check(Path step) {
        return Double.doubleToLongBits(TrainerOutput.verify(step, GENOME, EPOCH).score());
    }

    /** Reads every byte of the file; with {@code scan}, also counts the non-finite F32 values. */
    static long read(Path file, boolean scan) {
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        long seen = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(buf) >= 0) {
                buf.flip();
                if (scan) {
                    FloatBuffer f = buf.asFloatBuffer();
                    while (f.hasRemaining()) {
                        if (!Float.isFinite(f.get())) {
                            seen++;
                        }
                    }
                } else {
                    seen += buf.remaining();
                }
                buf.clear();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return seen;
    }

    /** A step's output: metrics.json and a checkpoint of about {@code mib} MiB of F32 tensors. */
    static int write(Path step, int mib) throws IOException {
        // Small checkpoints have many small tensors (a trainer's layers), large ones 16 MiB tensors.
        long tensorBytes = mib <= 16 ? 16 * 1024 : 16L << 20;
        int tensors = (int) Math.max(1, (mib * 1048576L) / tensorBytes);
        List<TensorSpec> layout = new ArrayList<>();
        for (int i = 0; i < tensors; i++) {
            layout.add(new TensorSpec("cell" + (i % 2) + ".layer" + i + ".weight", DType.F32,
                    new long[] {tensorBytes / 4 / 64, 64}));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(CheckpointMetadata.GENOME, GENOME.toJson());
        meta.put(CheckpointMetadata.EPOCH, Integer.toString(EPOCH));
        MixBenchmark.writeUniform(step.resolve("model.safetensors"), meta, layout,
                (int) Math.min(tensorBytes, 4 << 20), 7);
        Files.writeString(step.resolve("metrics.json"), "{\"score\": 0.85}");
        return tensors;
    }

    static long time(LongSupplier work) {
        long t0 = System.nanoTime();
        long sink = work.getAsLong();
        long t = System.nanoTime() - t0;
        if (sink == Long.MIN_VALUE) {
            System.out.print("");
        }
        return t;
    }

    static String median(List<long[]> samples, int column) {
        long[] v = samples.stream().mapToLong(s -> s[column]).sorted().toArray();
        return ms(v[v.length / 2]);
    }

    static String ms(long nanos) {
        return String.format("%.2f", nanos / 1e6);
    }
}
