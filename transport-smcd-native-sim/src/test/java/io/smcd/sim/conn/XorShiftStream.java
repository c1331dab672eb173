package io.smcd.sim.conn;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An endless deterministic byte stream: the little-endian bytes of successive xorshift64 words from a
 * seed. A sender {@link #fill}s its buffers from one instance and the receiver {@link #verify verifies}
 * every byte it reads against another instance with the same seed, so a lost, duplicated, reordered or
 * stale byte is reported with its stream position. The stream has no period shorter than 2^64 - 1 words,
 * so it never lines up with any ring size. Not thread-safe: one instance per side of one direction.
 */
final class XorShiftStream {
    private static final VarHandle LONGS_LE = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final long seed;
    private long state;
    /** The word whose bytes are being handed out, and how many of them are already out (8 = none left). */
    private long word;
    private int usedOfWord = Long.BYTES;
    private long position;
    private ByteBuffer expected = ByteBuffer.allocateDirect(64 * 1024);

    XorShiftStream(long seed) {
        this.seed = seed;
        // xorshift64 has the fixed point 0; any other seed is fine.
        this.state = seed == 0 ? 0x9E37_79B9_7F4A_7C15L : seed;
    }

    /** How many bytes were produced so far: the stream position of the next byte. */
    long position() {
        return position;
    }

    long seed() {
        return seed;
    }

    /** Writes the next {@code length} bytes of the stream into {@code dst} at absolute {@code index}. */
    void fill(ByteBuffer dst, int index, int length) {
        int at = index;
        int end = index + length;
        while (at < end && usedOfWord < Long.BYTES) {
            dst.put(at++, (byte) (word >>> (Byte.SIZE * usedOfWord++)));
        }
        while (end - at >= Long.BYTES) {
            LONGS_LE.set(dst, at, nextWord());
            at += Long.BYTES;
        }
        if (at < end) {
            word = nextWord();
            usedOfWord = 0;
            while (at < end) {
                dst.put(at++, (byte) (word >>> (Byte.SIZE * usedOfWord++)));
            }
        }
        position += length;
    }

    /**
     * Checks that {@code actual[index, index + length)} are the next {@code length} bytes of the stream
     * and advances past them.
     *
     * @throws AssertionError naming the first stream position that differs, its expected and actual value
     */
    void verify(ByteBuffer actual, int index, int length, String where) {
        if (expected.capacity() < length) {
            expected = ByteBuffer.allocateDirect(Math.max(length, 2 * expected.capacity()));
        }
        long start = position;
        fill(expected, 0, length);
        int mismatch = actual.slice(index, length).mismatch(expected.slice(0, length));
        if (mismatch >= 0) {
            throw new AssertionError("stream (seed 0x" + Long.toHexString(seed) + ") differs at byte " + (start + mismatch)
                    + ": expected " + (expected.get(mismatch) & 0xFF) + " but read " + (actual.get(index + mismatch) & 0xFF)
                    + " (chunk of " + length + " bytes starting at stream byte " + start + ") " + where);
        }
    }

    private long nextWord() {
        long x = state;
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        state = x;
        return x;
    }
}
