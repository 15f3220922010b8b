package io.pbtnas.trainer.bench;

import ai.djl.ndarray.NDManager;
import io.pbtnas.core.space.Genome;
import io.pbtnas.core.space.SearchSpace;
import io.pbtnas.trainer.BuiltinSearchSpace;
import io.pbtnas.trainer.EngineSetup;
import io.pbtnas.trainer.data.Batches;
import io.pbtnas.trainer.data.DataSplits;
import io.pbtnas.trainer.data.FashionMnist;
import io.pbtnas.trainer.data.ImageSet;
import io.pbtnas.trainer.model.Network;
import io.pbtnas.trainer.model.NetworkPlan;
import io.pbtnas.trainer.train.Adam;
import io.pbtnas.trainer.train.AdamSettings;
import io.pbtnas.trainer.train.EpochResult;
import io.pbtnas.trainer.train.Evaluator;
import io.pbtnas.trainer.train.ProgressListener;
import io.pbtnas.trainer.train.TrainingLoop;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Training and evaluation throughput (images/second) of the default architecture (conv3x3 at every
 * position) with 1 and then 2 intra-op threads, the 2-thread run as a ratio to the 1-thread baseline
 * measured in the same process, and peak memory. Real Fashion-MNIST images.
 *
 * <p>Args (all optional): positions width batchSize batches. Run:
 * {@code ./mvnw -q -pl trainer-image test-compile exec:exec -Dbench.args="6 16 128 20"}.
 * With key=value args instead it runs one configuration of the side-by-side comparison with PyTorch
 * ({@link OneConfiguration}, driven by benchmarks/trainer/run.sh).
 */
public final class TrainerBenchmark {
    private TrainerBenchmark() {
    }

    public static void main(String[] rawArgs) throws Exception {
        // exec:exec passes -Dbench.args as one argument: split it.
        String joined = String.join(" ", rawArgs).trim();
        String[] args = joined.isEmpty() ? new String[0] : joined.split("\\s+");
        if (args.length > 0 && args[0].contains("=")) {
            Map<String, String> kv = new java.util.LinkedHashMap<>();
            for (String arg : args) {
                int eq = arg.indexOf('=');
                kv.put(arg.substring(0, eq), arg.substring(eq + 1));
            }
            if (kv.containsKey("ops")) {
                OpTimings.run(Integer.parseInt(kv.getOrDefault("threads", "1")));
            } else {
                OneConfiguration.run(kv);
            }
            return;
        }
        int positions = arg(args, 0, 6);
        int width = arg(args, 1, 16);
        int batchSize = arg(args, 2, 128);
        int batches = arg(args, 3, 20);
        int warmup = 3;
        Path dir = Path.of(System.getenv().getOrDefault("PBTNAS_DATA_DIR", FashionMnist.DEBIAN_DIR.toString()));
        DataSplits data = FashionMnist.load(dir, batchSize * (batches + warmup), 0, 1);
        ImageSet train = data.train();
        SearchSpace space = BuiltinSearchSpace.fashionMnist(positions);
        Genome genome = BuiltinSearchSpace.defaultGenome(positions);
        NetworkPlan plan = NetworkPlan.of(space, genome, width);
        System.out.printf("benchmark: default architecture, %d positions, width %d, batch %d, %d timed batches "
                + "(+%d warm-up), %d cores%n", positions, width, batchSize, batches, warmup,
                Runtime.getRuntime().availableProcessors());
        double[] trainRate = new double[3];
        double[] evalRate = new double[3];
        for (int threads = 1; threads <= 2; threads++) {
            EngineSetup.start(threads);
            try (NDManager manager = NDManager.newBaseManager();
                 Network net = Network.initialise(plan, manager, 1)) {
                Adam adam = new Adam(net, AdamSettings.withLearningRate(1e-3), Map.of());
                TrainingLoop loop = new TrainingLoop(net, adam, batchSize, Integer.MAX_VALUE);
                int[] order = Batches.epochOrder(train.size(), 7, 0);
                loop.run(train, order, 0, warmup, ProgressListener.NONE);
                int[] timed = java.util.Arrays.copyOfRange(order, warmup * batchSize, order.length);
                EpochResult r = loop.run(train, timed, 0, batches, ProgressListener.NONE);
                trainRate[threads] = r.images() / r.seconds();
                long t0 = System.nanoTime();
                Evaluator.evaluate(net, train, 500);
                evalRate[threads] = train.size() / ((System.nanoTime() - t0) / 1e9);
            }
            System.out.printf("threads=%d  train %.1f images/s  eval %.1f images/s%n", threads, trainRate[threads],
                    evalRate[threads]);
        }
        System.out.printf("ratio 2 threads / 1 thread (baseline): train %.2fx  eval %.2fx%n",
                trainRate[2] / trainRate[1], evalRate[2] / evalRate[1]);
        System.out.printf("peak memory: process RSS %s MiB (VmHWM), Java heap %.1f MiB%n", vmHwmMiB(), heapPeakMiB());
    }

    private static int arg(String[] args, int i, int fallback) {
        return args.length > i ? Integer.parseInt(args[i]) : fallback;
    }

    private static String vmHwmMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                return String.format("%.1f", kb / 1024.0);
            }
        }
        return "n/a";
    }

    private static double heapPeakMiB() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak / 1024.0 / 1024.0;
    }
}
