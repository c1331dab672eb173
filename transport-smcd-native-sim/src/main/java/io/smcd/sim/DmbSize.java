package io.smcd.sim;

/**
 * DMB ring sizes and their 4-bit CLC encoding: {@code size = 16 KiB << code}. SMC-D uses codes 0..6
 * (16 KiB .. 1 MiB); smcd also allows up to 15 (512 MiB) when configured. Stateless.
 */
public final class DmbSize {
    /** The smallest ring, code 0. */
    public static final int MIN_SIZE = 16 * 1024;
    /** The largest code SMC-D itself uses ({@code SMCD_DMBE_SIZES}): 1 MiB. */
    public static final int SMCD_MAX_CODE = 6;
    /** The largest code that fits the 4-bit field. */
    public static final int MAX_CODE = 15;

    private DmbSize() {
    }

    /** The ring size of {@code code}. */
    public static int sizeOf(int code) {
        if (code < 0 || code > MAX_CODE) {
            throw new IllegalArgumentException("code=" + code + " not in [0, " + MAX_CODE + "]");
        }
        return MIN_SIZE << code;
    }

    /** The smallest code whose size is at least {@code bytes} (the kernel rounds up, too). */
    public static int codeFor(int bytes) {
        if (bytes <= 0 || bytes > sizeOf(MAX_CODE)) {
            throw new IllegalArgumentException("bytes=" + bytes + " not in [1, " + sizeOf(MAX_CODE) + "]");
        }
        int code = 0;
        while ((MIN_SIZE << code) < bytes) {
            code++;
        }
        return code;
    }

    /** Whether {@code size} is exactly one of the sizes a code names. */
    public static boolean isValidSize(int size) {
        return size >= MIN_SIZE && size <= sizeOf(MAX_CODE) && Integer.bitCount(size) == 1;
    }
}
