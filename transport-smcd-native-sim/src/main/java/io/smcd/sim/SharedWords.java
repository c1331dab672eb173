package io.smcd.sim;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Atomic 64-bit access to words of a mapped segment. Every shared word is 8-byte aligned (the
 * descriptors check it) and in native byte order: both sides run on the same machine, as the kernel's
 * SMC-D CDC uses host order. Stateless and thread-safe.
 */
public final class SharedWords {
    /** The byte order of every multi-byte value in shared memory. */
    public static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ORDER);

    private SharedWords() {
    }

    public static long getPlain(ByteBuffer segment, int offset) {
        return (long) LONGS.get(segment, offset);
    }

    public static long getAcquire(ByteBuffer segment, int offset) {
        return (long) LONGS.getAcquire(segment, offset);
    }

    public static long getVolatile(ByteBuffer segment, int offset) {
        return (long) LONGS.getVolatile(segment, offset);
    }

    public static void setPlain(ByteBuffer segment, int offset, long value) {
        LONGS.set(segment, offset, value);
    }

    public static void setRelease(ByteBuffer segment, int offset, long value) {
        LONGS.setRelease(segment, offset, value);
    }

    public static void setVolatile(ByteBuffer segment, int offset, long value) {
        LONGS.setVolatile(segment, offset, value);
    }

    public static boolean compareAndSet(ByteBuffer segment, int offset, long expected, long value) {
        return LONGS.compareAndSet(segment, offset, expected, value);
    }
}
