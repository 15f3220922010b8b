package io.pbtnas.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.pbtnas.trainer.EngineSetup;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class BatchInputTest {
    private static long directBuffers() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).mapToLong(BufferPoolMXBean::getCount).sum();
    }

    @Test
    void stagesEachBatchExactlyAlsoASmallerLastOne() {
        EngineSetup.start(1);
        BatchInput input = new BatchInput();
        try (NDManager m = NDManager.newBaseManager()) {
            for (int n : new int[] {3, 2, 3}) {
                float[] images = new float[n * 4];
                int[] labels = new int[n];
                for (int i = 0; i < images.length; i++) {
                    images[i] = n * 100 + i + 0.5f;
                }
                for (int i = 0; i < n; i++) {
                    labels[i] = 9 - i - n;
                }
                try (NDScope ignored = new NDScope()) {
                    NDArray x = input.images(m, images, new Shape(n, 1, 2, 2));
                    NDArray y = input.labels(m, labels);
                    assertEquals(new Shape(n, 1, 2, 2), x.getShape());
                    assertEquals(DataType.INT32, y.getDataType());
                    assertArrayEquals(images, x.toFloatArray());
                    assertArrayEquals(labels, y.toIntArray());
                    // What the loops compute from them sees the same values as DJL's own copy would give.
                    assertArrayEquals(m.create(images, new Shape(n, 1, 2, 2)).mul(2).toFloatArray(),
                            x.mul(2).toFloatArray());
                }
            }
        }
    }

    @Test
    void batchesReuseTheSameNativeBuffersInsteadOfOnePerBatch() {
        EngineSetup.start(1);
        BatchInput input = new BatchInput();
        float[] images = new float[32 * 28 * 28];
        int[] labels = new int[32];
        try (NDManager m = NDManager.newBaseManager()) {
            long before = directBuffers();
            for (int b = 0; b < 50; b++) {
                try (NDScope ignored = new NDScope()) {
                    input.images(m, images, new Shape(32, 1, 28, 28));
                    input.labels(m, labels);
                }
            }
            long grown = directBuffers() - before;
            // DJL's create(float[]) leaves one new direct buffer per batch (100 here) until a GC frees them.
            assertTrue(grown <= 2, "direct buffers grew by " + grown + " over 50 batches");
        }
    }
}
