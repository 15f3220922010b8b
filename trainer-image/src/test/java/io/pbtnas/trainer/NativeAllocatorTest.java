package io.pbtnas.trainer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NativeAllocatorTest {
    @Test
    void tunesTheAllocatorUnlessTheEnvironmentAlreadyDoes() {
        assertFalse(NativeAllocator.userTuned(Map.of("PATH", "/usr/bin", "OMP_WAIT_POLICY", "PASSIVE")));
        assertTrue(NativeAllocator.userTuned(Map.of("GLIBC_TUNABLES", "glibc.malloc.trim_threshold=0")));
        assertTrue(NativeAllocator.userTuned(Map.of("MALLOC_ARENA_MAX", "2")));
        assertTrue(NativeAllocator.userTuned(Map.of("MALLOC_TRIM_THRESHOLD_", "0")));
        // jemalloc's variable (set by the allocator launcher) says nothing about glibc's settings.
        assertFalse(NativeAllocator.userTuned(Map.of("MALLOC_CONF", "dirty_decay_ms:-1")));
    }
}
