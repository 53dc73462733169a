package org.malariastream.classifier.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A reusable native (direct) buffer that float data is copied into and wrapped as a tensor
 * without a further copy.
 *
 * <p>Why: {@code NDManager.create(float[] / FloatBuffer)} allocates a fresh direct buffer per call;
 * those are freed only by a garbage collection, so a busy loop can pile up gigabytes of them
 * before the heap asks for one. The tensor made here shares this buffer's memory, so it must be
 * closed (its manager closed) before the next {@link #wrap} call. Not thread-safe.
 */
public final class TensorBuffer {

    private ByteBuffer direct;

    /** Copies {@code data[0..shape.size())} into the buffer and wraps it as a float32 tensor of {@code shape}. */
    public NDArray wrap(NDManager manager, float[] data, Shape shape) {
        int count = Math.toIntExact(shape.size());
        if (count > data.length) {
            throw new IllegalArgumentException("shape " + shape + " needs " + count + " floats, have " + data.length);
        }
        int bytes = count * Float.BYTES;
        if (direct == null || direct.capacity() < bytes) {
            direct = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }
        direct.clear();
        direct.asFloatBuffer().put(data, 0, count);
        direct.position(0).limit(bytes);
        return manager.create(direct.slice().order(ByteOrder.nativeOrder()), shape, DataType.FLOAT32);
    }
}
