package io.pbtnas.core.bench;

import io.pbtnas.core.checkpoint.CheckpointMetadata;
import io.pbtnas.core.checkpoint.InitDistribution;
import io.pbtnas.core.mix.ShrinkPerturb;
import io.pbtnas.core.safetensors.DType;
import io.pbtnas.core.safetensors.Durability;
import io.pbtnas.core.safetensors.SafetensorsWriter;
import io.pbtnas.core.safetensors.TensorSpec;
import io.pbtnas.core.space.Gene;
import io.pbtnas.core.space.Genome;
import io.pbtnas.core.space.SearchSpace;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Mixes a ~1 GiB checkpoint (half of its tensors swapped) and compares with a copy of the same
 * file in the same run, in two pairs: neither fsynced (goal: the mix at 0.8 of the copy's speed)
 * and both fsynced (goal: 0.9), with peak heap under 256 MiB: run with -Xmx256m. Options:
 * -Dbench.mib=1024 -Dbench.dir=/tmp -Dbench.rounds=5. CPU seconds are printed too: on a shared
 * machine they show how much of the wall time is waiting for a core.
 */
public final class MixBenchmark {
    static final int TENSOR_MIB = 16;

    public static void main(String[] args) throws IOException {
        int mib = Integer.getInteger("bench.mib", 1024);
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", "/tmp")), "pbtnas-mixbench-");
        try {
            run(dir, mib);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    static void run(Path dir, int mib) throws IOException {
        int tensors = Math.max(2, mib / TENSOR_MIB);
        // Tensor i belongs to gene i % genes, so swapping half the genes swaps half the tensors only
        // when the tensors are a multiple of the genes: 6 tensors (96 MiB) get 6 genes, not 8.
        int genes = tensors % 8 == 0 ? 8 : tensors % 2 == 0 ? tensors : 2;
        List<Gene> geneList = new ArrayList<>();
        for (int g = 0; g < genes; g++) {
            geneList.add(new Gene("cell" + g, List.of("a", "b")));
        }
        SearchSpace space = new SearchSpace(geneList);
        Path parent = dir.resolve("parent.safetensors");
        Path donor = dir.resolve("donor.safetensors");
        long t0 = System.nanoTime();
        write(parent, space, tensors, genes, 1);
        write(donor, space, tensors, genes, 2);
        long size = Files.size(parent);
        System.out.printf("wrote 2 checkpoints of %.1f MiB (%d tensors of %d MiB, %d genes) in %.1f s%n",
                size / 1048576.0, tensors, TENSOR_MIB, genes, (System.nanoTime() - t0) / 1e9);
        List<String> swapped = space.geneNames().subList(0, genes / 2); // half the tensors

        // Round 0 warms the page cache and the JIT and is not counted; then the four timings alternate,
        // each pair side by side, so all see the same page-cache state and machine load, and the best
        // and median of each count. Two fair pairs: the mix and a copy both left in the page cache, and
        // both fsynced (what a checkpoint needs before it counts).
        int rounds = Integer.getInteger("bench.rounds", 5);
        Path copy = dir.resolve("copy.safetensors");
        Path child = dir.resolve("child.safetensors");
        Samples plain = new Samples();
        Samples mixPlain = new Samples();
        Samples durable = new Samples();
        Samples mix = new Samples();
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        for (int round = 0; round <= rounds; round++) {
            double[] p = timed(() -> Files.copy(parent, copy, StandardCopyOption.REPLACE_EXISTING), copy);
            double[] mp = timed(() -> ShrinkPerturb.mix(parent, donor, swapped, Map.of(), 0.4, 0.1, 7, space, child,
                    Durability.PAGE_CACHE), child);
            double[] c = timed(() -> {
                Files.copy(parent, copy, StandardCopyOption.REPLACE_EXISTING);
                try (FileChannel ch = FileChannel.open(copy, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
            }, copy);
            double[] m = timed(() -> ShrinkPerturb.mix(parent, donor, swapped, Map.of(), 0.4, 0.1, 7, space, child),
                    child);
            if (round > 0) {
                plain.add(p[0], p[1]);
                mixPlain.add(mp[0], mp[1]);
                durable.add(c[0], c[1]);
                mix.add(m[0], m[1]);
            }
            System.out.printf("round %d%s: copy %.2f s, mix (no fsync) %.2f s (cpu %.2f s), copy+fsync %.2f s "
                    + "(cpu %.2f s), mix %.2f s (cpu %.2f s)%n", round, round == 0 ? " (warm-up)" : "",
                    p[0], mp[0], mp[1], c[0], c[1], m[0], m[1]);
        }
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        double mb = size / 1e6;
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peakHeap += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf("file size        %.1f MB, %d rounds counted; MB/s as best (median, worst)%n", mb, rounds);
        System.out.printf("copy (no fsync)  %s, cpu %.2f s%n", plain.rates(mb), plain.medianCpu());
        System.out.printf("shrink-perturb, no fsync  %s, cpu %.2f s (half the tensors swapped; left in the page "
                + "cache, as the copy)%n", mixPlain.rates(mb), mixPlain.medianCpu());
        System.out.printf("copy + fsync     %s, cpu %.2f s%n", durable.rates(mb), durable.medianCpu());
        System.out.printf("shrink-perturb   %s, cpu %.2f s (half the tensors swapped; fsynced, as the contract "
                + "needs)%n", mix.rates(mb), mix.medianCpu());
        System.out.printf("ratio mix / copy, neither fsynced  %.2f best, %.2f median (goal >= 0.80)%n",
                plain.best() / mixPlain.best(), plain.median() / mixPlain.median());
        System.out.printf("ratio mix / (copy + fsync)  %.2f best, %.2f median (goal >= 0.90)%n",
                durable.best() / mix.best(), durable.median() / mix.median());
        System.out.printf("cores available  %d, load average %.1f before, %.1f after%n",
                Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter);
        System.out.printf("max heap         %d MiB, peak heap used %d MiB (goal < 256 MiB)%n",
                Runtime.getRuntime().maxMemory() >> 20, peakHeap >> 20);
    }

    /** What one timing does: writes {@code out}, which must not exist yet. */
    @FunctionalInterface
    interface Step {
        void run() throws IOException;
    }

    /** Wall and CPU seconds of one step writing {@code out}, which is deleted before and after. */
    static double[] timed(Step step, Path out) throws IOException {
        Files.deleteIfExists(out);
        long w0 = System.nanoTime();
        long c0 = cpuNanos();
        step.run();
        double[] t = {(System.nanoTime() - w0) / 1e9, (cpuNanos() - c0) / 1e9};
        Files.deleteIfExists(out);
        return t;
    }

    /** CPU time of the whole process (all threads, user and system), or -1 where unknown. */
    static long cpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    /** Wall and CPU seconds of the counted rounds. */
    static final class Samples {
        private final List<Double> seconds = new ArrayList<>();
        private final List<Double> cpu = new ArrayList<>();

        void add(double wall, double cpuSeconds) {
            seconds.add(wall);
            cpu.add(cpuSeconds);
        }

        double best() {
            return sorted(seconds).get(0);
        }

        double median() {
            return sorted(seconds).get(seconds.size() / 2);
        }

        double medianCpu() {
            return sorted(cpu).get(cpu.size() / 2);
        }

        String rates(double mb) {
            List<Double> s = sorted(seconds);
            return String.format("%.0f MB/s (%.0f, %.0f)", mb / s.get(0), mb / s.get(s.size() / 2),
                    mb / s.get(s.size() - 1));
        }

        private static List<Double> sorted(List<Double> v) {
            List<Double> s = new ArrayList<>(v);
            s.sort(null);
            return s;
        }
    }

    /** Streams a synthetic checkpoint of F32 tensors; tensor i belongs to gene i % genes. */
    static void write(Path file, SearchSpace space, int tensors, int genes, long seed) throws IOException {
        long elements = TENSOR_MIB * 1024L * 1024 / 4;
        List<TensorSpec> layout = new ArrayList<>();
        Map<String, InitDistribution> init = new LinkedHashMap<>();
        for (int i = 0; i < tensors; i++) {
            String name = "cell" + (i % genes) + ".layer" + i + ".weight";
            layout.add(new TensorSpec(name, DType.F32, new long[] {elements / 1024, 1024}));
            init.put(name, new InitDistribution.Normal(0, 0.02));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        Map<String, String> genome = new LinkedHashMap<>();
        space.geneNames().forEach(g -> genome.put(g, seed == 1 ? "a" : "b"));
        meta.put(CheckpointMetadata.GENOME, new Genome(genome).toJson());
        meta.put(CheckpointMetadata.INIT, InitDistribution.toJson(init));
        writeUniform(file, meta, layout, 4 << 20, seed);
    }

    /**
     * Writes a checkpoint of {@code layout} whose F32 values are uniform in [-0.5, 0.5) from {@code seed},
     * {@code chunkBytes} at a time (a divisor of every tensor's byte length).
     */
    static void writeUniform(Path file, Map<String, String> meta, List<TensorSpec> layout, int chunkBytes, long seed)
            throws IOException {
        ByteBuffer chunk = ByteBuffer.allocateDirect(chunkBytes).order(ByteOrder.LITTLE_ENDIAN);
        SplittableRandom rng = new SplittableRandom(seed);
        try (SafetensorsWriter w = SafetensorsWriter.create(file, meta, layout)) {
            for (TensorSpec t : layout) {
                for (long left = t.byteLength(); left > 0; left -= chunk.capacity()) {
                    chunk.clear();
                    while (chunk.hasRemaining()) {
                        chunk.putFloat((float) (rng.nextDouble() - 0.5));
                    }
                    chunk.flip();
                    w.writeChunk(t.name(), chunk);
                }
            }
            w.commit();
        }
    }
}
