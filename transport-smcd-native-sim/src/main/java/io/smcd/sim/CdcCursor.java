package io.smcd.sim;

/**
 * Cursor arithmetic of SMC's {@code smc_host_cursor}: a cursor is {@code (wrap, count)} with
 * {@code 0 <= count < ringSize}, packed into one 64-bit word ({@code wrap} in the high 32 bits) so that it
 * is published with one store and can never be torn. {@code wrap} counts laps modulo 2^32. Stateless.
 */
public final class CdcCursor {
    /** Returned by {@link #distance} for a movement no valid peer can make. */
    public static final long IMPOSSIBLE = -1;

    private CdcCursor() {
    }

    public static long of(int wrap, int count) {
        return ((long) wrap << 32) | (count & 0xFFFF_FFFFL);
    }

    public static int wrap(long cursor) {
        return (int) (cursor >>> 32);
    }

    public static int count(long cursor) {
        return (int) cursor;
    }

    /** {@code cursor} advanced by {@code n} bytes ({@code 0 <= n <= ringSize}), wrapping as {@code smc_curs_add}. */
    public static long add(int ringSize, long cursor, int n) {
        long count = (cursor & 0xFFFF_FFFFL) + n;
        int wrap = wrap(cursor);
        if (count >= ringSize) {
            count -= ringSize;
            wrap++;
        }
        return of(wrap, (int) count);
    }

    /**
     * The kernel's {@code smc_curs_diff}: bytes from {@code older} to {@code newer}, assuming {@code newer}
     * is at most one lap ahead, clamped at 0.
     */
    public static int diff(int ringSize, long older, long newer) {
        if (wrap(older) != wrap(newer)) {
            return Math.max(0, ringSize - count(older) + count(newer));
        }
        return Math.max(0, count(newer) - count(older));
    }

    /**
     * The exact distance from {@code from} to {@code to} in bytes if {@code to} is between 0 and one whole
     * ring ahead and both counts are in range; otherwise {@link #IMPOSSIBLE}. This is how every cursor
     * read from a peer is validated before use.
     */
    public static long distance(int ringSize, long from, long to) {
        int fromCount = count(from);
        int toCount = count(to);
        if (fromCount < 0 || fromCount >= ringSize || toCount < 0 || toCount >= ringSize) {
            return IMPOSSIBLE;
        }
        int laps = wrap(to) - wrap(from);
        if (laps == 0) {
            return toCount >= fromCount ? toCount - fromCount : IMPOSSIBLE;
        }
        if (laps == 1) {
            long distance = (long) ringSize - fromCount + toCount;
            return distance <= ringSize ? distance : IMPOSSIBLE;
        }
        return IMPOSSIBLE;
    }

    /** {@code wrap:count} in hex, as {@code smcss -d} prints cursors. */
    public static String toString(long cursor) {
        return Integer.toHexString(wrap(cursor)) + ":" + Integer.toHexString(count(cursor));
    }
}
