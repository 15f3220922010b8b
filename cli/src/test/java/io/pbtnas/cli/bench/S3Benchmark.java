package io.pbtnas.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.cli.steps.MixStep;
import io.pbtnas.cli.storage.Location;
import io.pbtnas.cli.storage.S3Clients;
import io.pbtnas.cli.storage.S3Location;
import io.pbtnas.cli.storage.S3Objects;
import io.pbtnas.cli.storage.S3Settings;
import io.pbtnas.cli.support.LargeCheckpoints;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.safetensors.ByteSource;
import io.pbtnas.core.safetensors.SafetensorsReader;
import io.pbtnas.core.safetensors.TensorInfo;
import io.pbtnas.core.space.Gene;
import io.pbtnas.core.space.SearchSpace;
import io.pbtnas.testkit.s3.S3Endpoint;
import io.pbtnas.testkit.s3.VersityGateway;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Checkpoints on S3 against plain GET/PUT of the same bytes with the same client, in the same run:
 * a real versitygw with its bucket on disk, our code paths in this JVM (what the commands call) and
 * the SDK's plain calls, interleaved, each round in a new (seeded) order, with a {@code sync} between
 * operations so that none pays for the previous one's writeback.
 *
 * <ul>
 *   <li>baselines: {@code put plain} (PutObject, multipart in parts of our part size), {@code get plain}
 *       (GetObject into a file), {@code get plain + fsync};</li>
 *   <li>ours: {@code upload} (S3Objects.putAttempt, what {@code verify --upload} does), {@code stage}
 *       (HeadBucket, HeadObject, download: {@code pbtnas stage}), {@code mix} (MixStep from the bucket's
 *       parents to a local child, fsynced: {@code pbtnas mix --root s3://...});</li>
 *   <li>references: {@code reads alone} (both parents' announced ranges read through the same source,
 *       at once, as the mix reads them, nothing computed or written) and {@code mix local} (the same
 *       mix from local files).</li>
 * </ul>
 *
 * Every sample keeps the bytes the client read off GET bodies, the GETs and their ranges, and the
 * gateway's written bytes ({@code /proc/<pid>/io} wchar). Not part of the test suite: run
 * {@code benchmarks/storage/throughput.sh}. Knobs: {@code -Dpbtnas.bench.sizes=100,1024} (MiB asked;
 * see {@link LargeCheckpoints}), {@code -Dpbtnas.bench.repeat=3}, {@code -Dpbtnas.bench.dir=/var/tmp}
 * (checkpoints and the gateway's data, on a real disk), {@code -Dpbtnas.bench.out=DIR} (raw JSON).
 */
@EnabledIfSystemProperty(named = "pbtnas.bench", matches = "true", disabledReason = "benchmark: benchmarks/storage/throughput.sh")
class S3Benchmark {
    private static final String BUCKET = "bench";
    private static final String ROOT = "searches/ns/bench-1234abcd";
    private static final String PARENT = "members/1/gen-0/model.safetensors";
    private static final String DONOR = "members/2/gen-0/model.safetensors";
    private static final String CHILD = "members/3/gen-1/input.safetensors";

    /** One timed operation: what it moved, how long it took, and what went over the wire. */
    record Sample(String op, int repetition, int position, long bytes, double seconds, double cpuSeconds,
                  Traffic.Snapshot client, GatewayIo gateway, List<String> ranges) {
    }

    @FunctionalInterface
    interface Op {
        /** Runs once; returns the payload bytes it moved (what MB/s is counted over). */
        long run(int repetition) throws Exception;
    }

    /** Undoes an op's effects (objects, files) outside the timing. */
    @FunctionalInterface
    interface Cleanup {
        void run(int repetition) throws Exception;
    }

    private record Timed(String name, Op op, Cleanup cleanup, boolean keepRanges) {
    }

    @Test
    void checkpointsOnS3AgainstPlainGetAndPut() throws Exception {
        List<Integer> sizes = Arrays.stream(System.getProperty("pbtnas.bench.sizes", "100,1024").split(","))
                .map(String::trim).map(Integer::parseInt).toList();
        int repeat = Integer.getInteger("pbtnas.bench.repeat", 3);
        Path base = Path.of(System.getProperty("pbtnas.bench.dir", "/var/tmp"));
        Path out = Path.of(System.getProperty("pbtnas.bench.out", "target/bench/storage"));
        Files.createDirectories(out.resolve("raw"));
        Path work = Files.createTempDirectory(base, "pbtnas-s3bench-");
        Traffic traffic = new Traffic();
        try (VersityGateway gateway = VersityGateway.startUnder(work)) {
            S3Endpoint e = gateway.endpoint();
            try (S3Objects s3 = new S3Objects(S3Clients.create(S3Settings.of(e.url(), e.region(), e.accessKeyId(),
                    e.secretAccessKey()), List.of(traffic)), S3Objects.DEFAULT_PART_SIZE)) {
                s3.createBucket(BUCKET);
                for (int mib : sizes) {
                    Map<String, Object> result = runSize(LargeCheckpoints.of(mib), repeat, work, gateway, s3, traffic);
                    Path file = out.resolve("raw").resolve("s3-" + mib + "MiB.json");
                    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
                    Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), result);
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    System.out.println("[bench] wrote " + file);
                }
            }
        } finally {
            deleteTree(work);
        }
    }

    private Map<String, Object> runSize(LargeCheckpoints shape, int repeat, Path work, VersityGateway gateway,
                                        S3Objects s3, Traffic traffic) throws Exception {
        Path dir = Files.createDirectories(work.resolve(shape.mib() + "MiB"));
        Path local = dir.resolve("local");
        Path parentFile = local.resolve(PARENT);
        Path donorFile = local.resolve(DONOR);
        long w0 = System.nanoTime();
        shape.write(parentFile, "a", 1);
        shape.write(donorFile, "b", 2);
        long size = Files.size(parentFile);
        S3Location root = new S3Location(BUCKET, ROOT + "-" + shape.mib());
        PlainS3 plain = new PlainS3(s3.client(), BUCKET, S3Objects.DEFAULT_PART_SIZE);
        plain.put(parentFile, root.resolve(PARENT).key());
        plain.put(donorFile, root.resolve(DONOR).key());
        System.out.printf("[bench] %d MiB asked: 2 checkpoints of %d bytes (%d tensors, %d genes) written and put in"
                + " %.1f s%n", shape.mib(), size, shape.tensors(), shape.genes(), (System.nanoTime() - w0) / 1e9);

        String space = shape.spaceJson();
        String plan = Json.MAPPER.writeValueAsString(Map.of("parent", 1, "donor", 2,
                "swappedGenes", shape.halfTheGenes(), "shrink", 0.4, "perturb", 0.1, "seed", 5,
                "parentCheckpoint", PARENT, "donorCheckpoint", DONOR, "output", CHILD));
        Path attempt = dir.resolve("attempt");
        Files.createDirectories(attempt);
        Files.createLink(attempt.resolve("model.safetensors"), parentFile); // the trainer's output, as verify sees it
        Files.writeString(attempt.resolve("metrics.json"), "{\"score\":0.5}");
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        Path s3Child = dir.resolve("child-s3");
        Path localChild = local.resolve(CHILD);

        List<Timed> ops = new ArrayList<>();
        ops.add(new Timed("put plain", r -> {
            plain.put(parentFile, "plain/put-" + r);
            return size;
        }, r -> s3.client().deleteObject(b -> b.bucket(BUCKET).key("plain/put-" + r)), false));
        ops.add(new Timed("upload", r -> {
            s3.putAttempt(attempt, root.resolve("members/9/gen-" + r + "/attempt-0"));
            return size;
        }, r -> s3.deleteUnder(root.resolve("members/9/gen-" + r)), false));
        ops.add(new Timed("get plain", r -> {
            plain.get(root.resolve(PARENT).key(), downloads.resolve("plain-" + r));
            return size;
        }, r -> Files.delete(downloads.resolve("plain-" + r)), false));
        ops.add(new Timed("get plain + fsync", r -> {
            Path f = downloads.resolve("plain-fsync-" + r);
            plain.get(root.resolve(PARENT).key(), f);
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            return size;
        }, r -> Files.delete(downloads.resolve("plain-fsync-" + r)), false));
        ops.add(new Timed("stage", r -> {
            s3.requireReachable(root); // what `pbtnas stage --checkpoint` does, in its order
            Path target = downloads.resolve("stage-" + r).resolve(PARENT);
            long n = s3.size(root.resolve(PARENT));
            s3.download(root.resolve(PARENT), target);
            return n;
        }, r -> deleteTree(downloads.resolve("stage-" + r)), false));
        ops.add(new Timed("mix", r -> {
            Files.createDirectories(s3Child); // the pod's emptyDir
            MixStep.fromJson(root, s3Child, plan, space, () -> s3).run();
            return Files.size(s3Child.resolve(CHILD));
        }, r -> deleteTree(s3Child), true));
        ops.add(new Timed("reads alone", r ->
                readAsTheMixDoes(s3, root, SearchSpace.fromJson(space), shape.halfTheGenes()), r -> { }, true));
        ops.add(new Timed("mix local", r -> {
            MixStep.fromJson(Location.parse(local.toString()), local, plan, space, () -> s3).run();
            return Files.size(localChild);
        }, r -> Files.delete(localChild), false));

        // Round 0 warms the JIT, the connections and the page cache, and checks the bucket's child is the
        // local one's bytes; it is not counted.
        List<Sample> samples = new ArrayList<>();
        String loadBefore = loadAverage();
        for (int r = 0; r <= repeat; r++) {
            // A new order each round (seeded): no op always follows the same one, e.g. one leaving dirty pages.
            List<Timed> order = new ArrayList<>(ops);
            if (r > 0) {
                Collections.shuffle(order, new Random(r));
            }
            for (int i = 0; i < order.size(); i++) {
                Timed t = order.get(i);
                Sample s = time(t, r, i, gateway, traffic);
                if (r == 0 && t.name().equals("mix local")) {
                    Files.createDirectories(s3Child);
                    MixStep.fromJson(root, s3Child, plan, space, () -> s3).run();
                    assertEquals(-1L, Files.mismatch(localChild, s3Child.resolve(CHILD)),
                            "the child mixed from the bucket must equal the local mix");
                    deleteTree(s3Child);
                }
                t.cleanup().run(r);
                sync(); // the next op starts with nothing of this one's left to write back
                if (r > 0) {
                    samples.add(s);
                }
                System.out.printf("[bench] %d MiB round %d%s: %-26s %7.2f s %8.1f MB/s  GETs %d, %.1f MiB read by the "
                                + "client, %.1f MiB written by the gateway%n", shape.mib(), r, r == 0 ? " (warm-up)" : "",
                        t.name(), s.seconds(), s.bytes() / 1e6 / s.seconds(), s.client().gets(),
                        s.client().getBytes() / 1048576.0, s.gateway().wchar() / 1048576.0);
            }
        }
        assertTrue(samples.stream().allMatch(s -> s.seconds() > 0 && s.bytes() > 0), "every op moved bytes");

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("mibAsked", shape.mib());
        result.put("checkpointBytes", size);
        result.put("tensors", shape.tensors());
        result.put("genes", shape.genes());
        result.put("swappedGenes", shape.halfTheGenes());
        result.put("partSize", S3Objects.DEFAULT_PART_SIZE);
        result.put("repetitions", repeat);
        result.put("cores", Runtime.getRuntime().availableProcessors());
        result.put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20);
        result.put("loadBefore", loadBefore);
        result.put("loadAfter", loadAverage());
        result.put("dataDisk", work.toString());
        result.put("samples", samples);
        return result;
    }

    private static Sample time(Timed t, int repetition, int position, VersityGateway gateway, Traffic traffic)
            throws Exception {
        Traffic.Snapshot c0 = traffic.snapshot();
        GatewayIo g0 = GatewayIo.of(gateway.pid());
        long cpu0 = cpuNanos();
        long w0 = System.nanoTime();
        long bytes = t.op().run(repetition);
        double seconds = (System.nanoTime() - w0) / 1e9;
        double cpu = (cpuNanos() - cpu0) / 1e9;
        GatewayIo g = GatewayIo.of(gateway.pid()).minus(g0);
        Traffic.Snapshot c = traffic.snapshot().minus(c0);
        return new Sample(t.name(), repetition, position, bytes, seconds, cpu, c, g, t.keepRanges() ? traffic.rangesSince(c0)
                : List.of());
    }

    /**
     * Both parents' bytes as the mix reads them: the tensors it takes from each, announced to the
     * source, read in order on one thread per parent at once. Returns the bytes read.
     */
    static long readAsTheMixDoes(S3Objects s3, S3Location root, SearchSpace space, List<String> swapped)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (SafetensorsReader p = SafetensorsReader.open(s3.open(root.resolve(PARENT)));
             SafetensorsReader d = SafetensorsReader.open(s3.open(root.resolve(DONOR)))) {
            List<TensorInfo> fromParent = new ArrayList<>();
            List<TensorInfo> fromDonor = new ArrayList<>();
            for (TensorInfo t : p.tensors()) {
                boolean swappedTensor = space.ownerOf(t.name()).map(Gene::name).filter(swapped::contains).isPresent();
                (swappedTensor ? fromDonor : fromParent).add(swappedTensor ? d.info(t.name()) : t);
            }
            p.willRead(fromParent);
            d.willRead(fromDonor);
            Future<Long> a = pool.submit(() -> readAll(p, fromParent));
            Future<Long> b = pool.submit(() -> readAll(d, fromDonor));
            return a.get() + b.get();
        } finally {
            pool.shutdownNow();
        }
    }

    private static long readAll(SafetensorsReader r, List<TensorInfo> tensors) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        long n = 0;
        for (TensorInfo t : tensors) {
            for (long off = 0; off < t.byteLength(); off += buf.capacity()) {
                buf.clear().limit((int) Math.min(buf.capacity(), t.byteLength() - off));
                r.readChunk(t, off, buf);
                n += buf.position();
            }
        }
        return n;
    }

    private static void sync() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sync").inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException("sync exited with " + p.exitValue());
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return String.valueOf(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static long cpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
