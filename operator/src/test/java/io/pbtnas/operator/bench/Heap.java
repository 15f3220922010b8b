package io.pbtnas.operator.bench;

import java.lang.management.ManagementFactory;

/** Heap in use after full collections (the live set, near enough), in MiB. */
final class Heap {
    private Heap() {}

    static double usedAfterGcMiB() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }

    static double maxMiB() {
        return Runtime.getRuntime().maxMemory() / (1024.0 * 1024.0);
    }
}
