package io.pbtnas.trainer.bench;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pbtnas.core.safetensors.Safetensors;
import io.pbtnas.core.safetensors.Tensor;
import io.pbtnas.core.space.Genome;
import io.pbtnas.core.space.SearchSpace;
import io.pbtnas.trainer.BuiltinSearchSpace;
import io.pbtnas.trainer.EngineSetup;
import io.pbtnas.trainer.data.Batches;
import io.pbtnas.trainer.data.FashionMnist;
import io.pbtnas.trainer.data.ImageSet;
import io.pbtnas.trainer.model.Network;
import io.pbtnas.trainer.model.NetworkPlan;
import io.pbtnas.trainer.model.ParamSpec;
import io.pbtnas.trainer.train.Adam;
import io.pbtnas.trainer.train.AdamSettings;
import io.pbtnas.trainer.train.Evaluator;
import io.pbtnas.trainer.train.TrainingLoop;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One configuration of the side-by-side benchmark (benchmarks/trainer/): trains the built-in network for a
 * genome on the first (warmup + batches) × batch training images in file order, then evaluates it, and prints
 * one JSON line (per-step loss and RSS, train and eval images/s, peak RSS, time of the first batch). Its
 * PyTorch twin is benchmarks/trainer/torch_side.py; both read the same keys.
 *
 * <p>Args: key=value ... with keys genome (comma-separated ops), width, batch, warmup, batches, threads,
 * evalImages, lr, seed, initOut (write the initial weights there as safetensors).
 */
final class OneConfiguration {
    private OneConfiguration() {
    }

    static void run(Map<String, String> a) throws IOException {
        List<String> ops = List.of(a.get("genome").split(","));
        int width = Integer.parseInt(a.getOrDefault("width", "16"));
        int batch = Integer.parseInt(a.getOrDefault("batch", "128"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "3"));
        int batches = Integer.parseInt(a.getOrDefault("batches", "20"));
        int threads = Integer.parseInt(a.getOrDefault("threads", "1"));
        int evalImages = Integer.parseInt(a.getOrDefault("evalImages", "2560"));
        double lr = Double.parseDouble(a.getOrDefault("lr", "0.001"));
        long seed = Long.parseLong(a.getOrDefault("seed", "1"));

        EngineSetup.start(threads);
        Path dir = Path.of(System.getenv().getOrDefault("PBTNAS_DATA_DIR", FashionMnist.DEBIAN_DIR.toString()));
        int trainImages = batch * (warmup + batches);
        ImageSet train = FashionMnist.load(dir, Math.max(trainImages, evalImages), 0, 1).train();
        SearchSpace space = BuiltinSearchSpace.fashionMnist(ops.size());
        Map<String, String> genes = new LinkedHashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            genes.put("cell" + i, ops.get(i));
        }
        NetworkPlan plan = NetworkPlan.of(space, new Genome(genes), width);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("impl", "ours");
        out.put("threads", EngineSetup.threads());
        out.put("allocator", io.pbtnas.trainer.NativeAllocator.active().name().toLowerCase(java.util.Locale.ROOT));
        out.put("jvmStartMs", ManagementFactory.getRuntimeMXBean().getStartTime());
        try (NDManager manager = NDManager.newBaseManager();
             Network net = Network.initialise(plan, manager, seed)) {
            if (a.containsKey("initOut")) {
                writeInit(Path.of(a.get("initOut")), plan, net.snapshot());
            }
            out.put("parameters", plan.params().stream().filter(ParamSpec::trainable)
                    .mapToLong(ParamSpec::elementCount).sum());
            Adam adam = new Adam(net, AdamSettings.withLearningRate(lr), Map.of());
            TrainingLoop loop = new TrainingLoop(net, adam, batch, 1);
            List<Double> losses = new ArrayList<>();
            List<Double> rssMiB = new ArrayList<>();
            List<Double> directMiB = new ArrayList<>();
            long[] endNs = new long[warmup + batches + 1];
            long[][] usage = new long[2][];
            long[] firstBatchMs = new long[1];
            @SuppressWarnings("unchecked")
            Map<String, Long>[] threadsAtWarmup = new Map[1];
            loop.run(train, Batches.identity(trainImages), 0, warmup + batches, (epoch, b, n, loss) -> {
                endNs[b] = System.nanoTime();
                if (b == warmup) {
                    usage[0] = usage();
                    threadsAtWarmup[0] = cpuByThread();
                }
                if (b == 1) {
                    firstBatchMs[0] = System.currentTimeMillis();
                }
                losses.add(loss);
                rssMiB.add(status("VmRSS:"));
                directMiB.add(directBuffersMiB());
            });
            out.put("firstBatchEndMs", firstBatchMs[0]);
            out.put("trainCpuMsPerImageByThread", perImage(threadsAtWarmup[0], cpuByThread(), batches * batch));
            out.put("trainImgPerS", (double) batches * batch / ((endNs[warmup + batches] - endNs[warmup]) / 1e9));
            usage[1] = usage();
            out.put("trainCpuMsPerImage", (usage[1][0] - usage[0][0]) / 1e6 / (batches * batch));
            out.put("trainMinorFaultsPerImage", (double) (usage[1][1] - usage[0][1]) / (batches * batch));
            out.put("trainMainThreadCpuMsPerImage", (usage[1][2] - usage[0][2]) / 1e6 / (batches * batch));
            out.put("peakRssTrainMiB", status("VmHWM:"));
            out.put("losses", losses);
            out.put("rssMiB", rssMiB);
            out.put("directBufferMiB", directMiB);
            ImageSet evalSet = train.slice(0, evalImages);
            Evaluator.evaluate(net, train.slice(0, 2 * batch), batch);
            long[] u0 = usage();
            Map<String, Long> th0 = cpuByThread();
            long t0 = System.nanoTime();
            var ev = Evaluator.evaluate(net, evalSet, batch);
            out.put("evalCpuMsPerImageByThread", perImage(th0, cpuByThread(), evalImages));
            out.put("evalImgPerS", evalImages / ((System.nanoTime() - t0) / 1e9));
            long[] u1 = usage();
            out.put("evalCpuMsPerImage", (u1[0] - u0[0]) / 1e6 / evalImages);
            out.put("evalMinorFaultsPerImage", (double) (u1[1] - u0[1]) / evalImages);
            out.put("evalMainThreadCpuMsPerImage", (u1[2] - u0[2]) / 1e6 / evalImages);
            out.put("evalLoss", ev.loss());
            out.put("evalAccuracy", ev.accuracy());
            out.put("peakRssMiB", status("VmHWM:"));
        }
        System.out.println(new ObjectMapper().writeValueAsString(out));
    }

    private static void writeInit(Path file, NetworkPlan plan, Map<String, float[]> weights) throws IOException {
        LinkedHashMap<String, Tensor> t = new LinkedHashMap<>();
        for (ParamSpec p : plan.params()) {
            t.put(p.name(), Tensor.ofFloats(p.shape(), weights.get(p.name())));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        // Scratch file, rewritten for each configuration; checkpoints proper are never replaced (NoReplace).
        Files.deleteIfExists(file);
        Safetensors.write(file, Map.of(), t);
    }

    /** Native memory held by direct ByteBuffers not yet collected (DJL copies each batch into one). */
    static double directBuffersMiB() {
        return ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).mapToLong(java.lang.management.BufferPoolMXBean::getMemoryUsed)
                .sum() / 1048576.0;
    }

    /**
     * CPU time (ns) of this process's threads by name, trailing digits dropped ("GC Thread#0" counts as
     * "GC Thread#"): where a JVM's CPU goes besides the thread running the steps ("java", the main thread).
     */
    static Map<String, Long> cpuByThread() {
        Map<String, Long> out = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(t.resolve("comm")).trim().replaceAll("[0-9]+$", "");
                    out.merge(name, Long.parseLong(Files.readString(t.resolve("schedstat")).split(" ")[0]), Long::sum);
                } catch (IOException | RuntimeException e) {
                    // The thread ended in between.
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    private static Map<String, Double> perImage(Map<String, Long> before, Map<String, Long> after, int images) {
        Map<String, Double> out = new java.util.TreeMap<>();
        after.forEach((name, ns) -> {
            double ms = (ns - before.getOrDefault(name, 0L)) / 1e6 / images;
            if (ms > 0) {
                out.put(name, ms);
            }
        });
        return out;
    }

    /** CPU time of the whole process (ns, every thread), its minor page faults, this thread's CPU time (ns). */
    static long[] usage() {
        long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {cpu, Long.parseLong(f[7]), // field 10 of stat(5): minflt
                ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime()};
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A /proc/self/status field in MiB (VmRSS: now, VmHWM: peak). */
    static double status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Double.NaN;
    }
}
