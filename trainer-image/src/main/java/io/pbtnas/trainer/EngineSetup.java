package io.pbtnas.trainer;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/** Starts DJL's PyTorch engine offline with a fixed number of intra-op threads. */
public final class EngineSetup {
    private EngineSetup() {
    }

    /** Idempotent; the thread count may change between calls (benchmarks compare 1 and 2 threads). */
    public static Engine start(int threads) {
        // Natives come from the pytorch-native jar on the class path; never try to download them.
        if (System.getProperty("offline") == null) {
            System.setProperty("offline", "true");
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        OpenMpPolicy.passiveUnlessSet(null);
        NativeAllocator.keepFreedMemoryUnlessSet(null);
        Engine engine = Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(threads);
        return engine;
    }

    public static int threads() {
        return JniUtils.getNumThreads();
    }
}
