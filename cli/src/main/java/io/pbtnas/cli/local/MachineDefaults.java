package io.pbtnas.cli.local;

import java.lang.management.ManagementFactory;

/** Sensible defaults for this machine: how many trainers at once, and threads for each. */
public final class MachineDefaults {
    /** What one built-in trainer process needs, heap and native (PyTorch) memory together. */
    static final long BYTES_PER_TRAINER = 1536L << 20;

    private MachineDefaults() {
    }

    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** One trainer per core, never more than the population or than memory allows. */
    public static int parallel(int population) {
        long mem = totalMemory();
        int byMemory = mem <= 0 ? Integer.MAX_VALUE : (int) Math.max(1, mem / 2 / BYTES_PER_TRAINER);
        return Math.max(1, Math.min(population, Math.min(cores(), byMemory)));
    }

    public static int threads(int parallel) {
        return Math.max(1, cores() / Math.max(1, parallel));
    }

    private static long totalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return -1;
    }
}
