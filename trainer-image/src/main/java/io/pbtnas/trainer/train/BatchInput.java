package io.pbtnas.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A batch's images and labels as NDArrays over two native buffers that this object owns and refills for every
 * batch. DJL's {@code create(float[])} copies each batch into a fresh direct ByteBuffer that only the garbage
 * collector frees; the Java heap's young generation fills only every 20-80 steps, and in between 0.4 MiB per
 * batch of 128 images piled up and the RSS crept (benchmarks/README.md, section 5). The arrays alias the
 * buffers, so the batch's arrays must be closed (its NDScope) before the next batch is staged; the values
 * are the same as before, bit for bit.
 */
final class BatchInput {
    private ByteBuffer images = ByteBuffer.allocateDirect(0);
    private ByteBuffer labels = ByteBuffer.allocateDirect(0);

    NDArray images(NDManager manager, float[] data, Shape shape) {
        images = grown(images, data.length * Float.BYTES);
        ByteBuffer view = view(images, data.length * Float.BYTES);
        view.asFloatBuffer().put(data);
        return manager.create(view, shape, DataType.FLOAT32);
    }

    NDArray labels(NDManager manager, int[] data) {
        labels = grown(labels, data.length * Integer.BYTES);
        ByteBuffer view = view(labels, data.length * Integer.BYTES);
        view.asIntBuffer().put(data);
        return manager.create(view, new Shape(data.length), DataType.INT32);
    }

    private static ByteBuffer grown(ByteBuffer buffer, int bytes) {
        return buffer.capacity() >= bytes ? buffer : ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }

    /** The first {@code bytes} of {@code buffer}, in native order (a slice starts big-endian). */
    private static ByteBuffer view(ByteBuffer buffer, int bytes) {
        return buffer.duplicate().clear().limit(bytes).slice().order(ByteOrder.nativeOrder());
    }
}
