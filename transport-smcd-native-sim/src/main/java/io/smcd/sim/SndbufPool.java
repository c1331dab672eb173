package io.smcd.sim;

import java.nio.ByteBuffer;
import org.jctools.queues.MpmcUnboundedXaddArrayQueue;

/**
 * Private send buffers of copy-device connections, reused across connections as the kernel's link groups reuse
 * sndbufs: allocating and zeroing a direct buffer of a ring's size per connection would cost as much as the rest of
 * the connection set-up. A buffer only ever holds bytes this process sends, so a reused one needs no zeroing.
 *
 * <p>Thread-safety: thread-safe and lock-free; buffers taken on one event loop are given back on any.
 */
public final class SndbufPool {
    private static final int CHUNK = 16;

    private final int maxFreePerSize;
    @SuppressWarnings("unchecked")
    private final MpmcUnboundedXaddArrayQueue<ByteBuffer>[] free = new MpmcUnboundedXaddArrayQueue[DmbSize.MAX_CODE + 1];

    /** A pool that keeps at most {@code maxFreePerSize} idle buffers of each ring size; 0 keeps none. */
    public SndbufPool(int maxFreePerSize) {
        if (maxFreePerSize < 0) {
            throw new IllegalArgumentException("maxFreePerSize=" + maxFreePerSize + " must be >= 0");
        }
        this.maxFreePerSize = maxFreePerSize;
        for (int code = 0; code < free.length; code++) {
            free[code] = new MpmcUnboundedXaddArrayQueue<>(CHUNK);
        }
    }

    /** A send buffer of exactly {@code ringSize} bytes, position 0 and limit {@code ringSize}. */
    public ByteBuffer take(int ringSize) {
        ByteBuffer buffer = free[DmbSize.codeFor(checkSize(ringSize))].relaxedPoll();
        return buffer != null ? buffer.clear() : ByteBuffer.allocateDirect(ringSize);
    }

    /** Returns a buffer {@link #take} gave out; the caller must not use it afterwards. */
    public void give(ByteBuffer buffer) {
        MpmcUnboundedXaddArrayQueue<ByteBuffer> queue = free[DmbSize.codeFor(checkSize(buffer.capacity()))];
        if (queue.size() < maxFreePerSize) {
            queue.relaxedOffer(buffer);
        }
    }

    /** Idle buffers held, over all sizes. */
    public int idleBuffers() {
        int n = 0;
        for (MpmcUnboundedXaddArrayQueue<ByteBuffer> queue : free) {
            n += queue.size();
        }
        return n;
    }

    private static int checkSize(int ringSize) {
        if (!DmbSize.isValidSize(ringSize)) {
            throw new IllegalArgumentException("ringSize=" + ringSize + " is not 16 KiB << n");
        }
        return ringSize;
    }
}
