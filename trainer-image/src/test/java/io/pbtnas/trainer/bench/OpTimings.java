package io.pbtnas.trainer.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pbtnas.trainer.EngineSetup;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The forward ops of the built-in network timed one by one through DJL (main-thread CPU µs per call, best
 * of 5 rounds), at the shapes of the first stage (batch 128, 16 channels, 28x28); its PyTorch twin is
 * benchmarks/trainer/torch_ops.py. Separates what a DJL call costs from what the libtorch kernel costs:
 * a tiny op measures the fixed cost of a call.
 */
final class OpTimings {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private OpTimings() {
    }

    static void run(int threads) throws Exception {
        EngineSetup.start(threads);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("impl", "ours");
        out.put("threads", EngineSetup.threads());
        try (var lines = java.nio.file.Files.lines(java.nio.file.Path.of("/proc/self/maps"))) {
            out.put("libtorch", lines.filter(l -> l.endsWith("libtorch_cpu.so")).map(l -> l.substring(l.indexOf('/')))
                    .findFirst().orElse("?"));
        }
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(1);
            NDArray x = m.randomNormal(new Shape(128, 16, 28, 28));
            NDArray w3 = m.randomNormal(0, 0.1f, new Shape(16, 16, 3, 3), ai.djl.ndarray.types.DataType.FLOAT32);
            NDArray wd = m.randomNormal(0, 0.3f, new Shape(16, 1, 3, 3), ai.djl.ndarray.types.DataType.FLOAT32);
            NDArray wp = m.randomNormal(0, 0.25f, new Shape(16, 16, 1, 1), ai.djl.ndarray.types.DataType.FLOAT32);
            NDArray mean = m.zeros(new Shape(16));
            NDArray var = m.ones(new Shape(16));
            NDArray gamma = m.ones(new Shape(16));
            NDArray beta = m.zeros(new Shape(16));
            NDArray tiny = m.ones(new Shape(16));
            Shape one = new Shape(1, 1);
            out.put("tiny add (16 floats)", time(50_000, () -> tiny.add(tiny)));
            out.put("relu", time(300, () -> Activation.relu(x)));
            out.put("batchnorm (inference)", time(300,
                    () -> BatchNorm.batchNorm(x, mean, var, gamma, beta, 1, 0.9f, 1e-5f, false).head()));
            out.put("conv3x3 16->16", time(50, () -> Conv2d.conv2d(x, w3, null, one, one, one, 1).head()));
            out.put("depthwise 3x3", time(100, () -> Conv2d.conv2d(x, wd, null, one, one, one, 16).head()));
            out.put("pointwise 1x1", time(100,
                    () -> Conv2d.conv2d(x, wp, null, one, new Shape(0, 0), one, 1).head()));
        }
        System.out.println(new ObjectMapper().writeValueAsString(out));
    }

    /** Main-thread CPU µs per call, best of 5 rounds of {@code calls} calls (each round's results freed). */
    private static double time(int calls, java.util.function.Supplier<NDArray> op) {
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 6; round++) {
            try (NDScope ignored = new NDScope()) {
                long t0 = THREADS.getCurrentThreadCpuTime();
                for (int i = 0; i < calls; i++) {
                    try (NDScope inner = new NDScope()) {
                        op.get();
                    }
                }
                double us = (THREADS.getCurrentThreadCpuTime() - t0) / 1e3 / calls;
                if (round > 0) {
                    best = Math.min(best, us);
                }
            }
        }
        return best;
    }
}
