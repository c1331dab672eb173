package io.smcd.it;

/**
 * Deterministic test bytes: byte {@code i} of payload {@code seed} is a mix of both, so that a lost, repeated,
 * reordered or shifted byte (by any distance, not only 256) shows up as a mismatch at a known offset.
 *
 * <p>Stateless and thread-safe.
 */
public final class Payload {
    private Payload() {
    }

    /** Byte {@code index} of payload {@code seed}. */
    public static byte at(int seed, long index) {
        long x = index * 0x9E3779B97F4A7C15L + seed * 0xC2B2AE3D27D4EB4FL;
        x ^= x >>> 29;
        x *= 0xBF58476D1CE4E5B9L;
        return (byte) (x >>> 32);
    }

    /** The first {@code size} bytes of payload {@code seed}. */
    public static byte[] of(int seed, int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = at(seed, i);
        }
        return bytes;
    }

    /** Fails with the first wrong offset unless {@code actual} is exactly payload {@code seed} of {@code size} bytes. */
    public static void check(String what, byte[] actual, int seed, int size) {
        if (actual.length != size) {
            throw new AssertionError(what + ": length=" + actual.length + " expected=" + size);
        }
        checkRange(what, actual, 0, actual.length, seed, 0);
    }

    /**
     * Fails unless {@code actual[from, from + length)} equals payload {@code seed} from byte {@code offset} on: for a
     * stream checked piece by piece as it arrives.
     */
    public static void checkRange(String what, byte[] actual, int from, int length, int seed, long offset) {
        for (int i = 0; i < length; i++) {
            if (actual[from + i] != at(seed, offset + i)) {
                throw new AssertionError(what + ": wrong byte at offset=" + (offset + i) + " seed=" + seed);
            }
        }
    }
}
