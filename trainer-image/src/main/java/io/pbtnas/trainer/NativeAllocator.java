package io.pbtnas.trainer;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.util.Map;

/**
 * Makes glibc keep the memory libtorch frees for reuse instead of handing it back to the kernel.
 * Every training step allocates and frees the same activation tensors (6 MiB each at width 16, batch
 * 128); with glibc's defaults the JVM's threads return them (munmap, heap trimming) and the next step
 * takes every page again as a fresh page fault: 150 faults per training image, a third of the step's CPU
 * time, where PyTorch in Python took 31. Fixed thresholds and a large top pad keep the freed pages (2
 * faults per image); the peak RSS is unchanged because the same tensors are reused. The user's own GLIBC_TUNABLES or MALLOC_* settings
 * win. Runs before libtorch allocates anything. Only for glibc's malloc: under the launcher's jemalloc
 * (image/pbtnas-with-allocator) glibc's mallopt would tune an allocator nobody uses.
 */
public final class NativeAllocator {
    /** mallopt(3) parameter numbers from glibc's malloc.h. */
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_TOP_PAD = -2;
    private static final int M_MMAP_THRESHOLD = -3;
    /** glibc's largest mmap threshold on 64-bit (half its 64 MiB arena heap): larger blocks are mmapped. */
    static final int MMAP_THRESHOLD = 32 << 20;
    /** Free memory at the top of a heap is returned only past this much (a whole step's tensors fit). */
    static final int TRIM_THRESHOLD = 1 << 30;
    /**
     * Slack kept when a heap grows or shrinks. glibc 2.36 deletes a thread arena's whole 64 MiB heap once
     * it is free unless the top pad says otherwise (it does not look at the trim threshold there): without
     * this the JVM's main thread mapped and unmapped two such heaps every step.
     */
    static final int TOP_PAD = 64 << 20;

    private NativeAllocator() {
    }

    private interface LibC extends Library {
        int mallopt(int param, int value);
    }

    /** The process's malloc, by where the symbol resolves. */
    public enum Kind { GLIBC, JEMALLOC, OTHER }

    /**
     * The environment already tunes glibc's allocator (GLIBC_TUNABLES, MALLOC_ARENA_MAX, ...): leave it.
     * MALLOC_CONF is jemalloc's, not glibc's.
     */
    static boolean userTuned(Map<String, String> env) {
        return env.keySet().stream().anyMatch(k -> k.equals("GLIBC_TUNABLES")
                || k.startsWith("MALLOC_") && !k.equals("MALLOC_CONF"));
    }

    /** Which malloc this process runs on: glibc's unless a preloaded library (LD_PRELOAD) interposes it. */
    public static Kind active() {
        try {
            NativeLibrary process = NativeLibrary.getProcess();
            long used = Pointer.nativeValue(process.getFunction("malloc"));
            // By its file name: JNA takes "c" on Linux to mean the whole process, which finds the preloaded one.
            long glibc = Pointer.nativeValue(NativeLibrary.getInstance("libc.so.6").getFunction("malloc"));
            return used == glibc ? Kind.GLIBC : exports(process, "mallctl") ? Kind.JEMALLOC : Kind.OTHER;
        } catch (LinkageError | RuntimeException e) {
            return Kind.OTHER;
        }
    }

    private static boolean exports(NativeLibrary library, String symbol) {
        try {
            library.getFunction(symbol);
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    static void keepFreedMemoryUnlessSet(Console console) {
        if (userTuned(System.getenv()) || active() != Kind.GLIBC) {
            return;
        }
        try {
            LibC c = Native.load("c", LibC.class);
            if (c.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) != 1 || c.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) != 1
                    || c.mallopt(M_TOP_PAD, TOP_PAD) != 1) {
                warn(console, "mallopt refused the thresholds");
            }
        } catch (LinkageError | RuntimeException e) {
            warn(console, e.getMessage());
        }
    }

    private static void warn(Console console, String why) {
        if (console != null) {
            console.warn("could not tune the native allocator (" + why + "); training still works, more slowly");
        }
    }
}
