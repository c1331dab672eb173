package io.smcd.sim;

/**
 * Bits of the CDC flags word, named as in the kernel's {@code smc_cdc_producer_flags} and
 * {@code smc_cdc_conn_state_flags}: each describes the side that writes the word. Stateless.
 */
public final class CdcFlags {
    /** The writer has data it cannot place: the owner should publish its consumer cursor and wake it. */
    public static final long WRITE_BLOCKED = 1L;
    /** The writer shut down its output: after the producer cursor, no more data comes. */
    public static final long PEER_DONE_WRITING = 1L << 1;
    /** The writer closed the connection gracefully. */
    public static final long PEER_CONN_CLOSED = 1L << 2;
    /** The writer aborted the connection: the owner's reads and writes fail as on a TCP reset. */
    public static final long PEER_CONN_ABORT = 1L << 3;
    /** Every defined bit; any other set bit is a protocol error. */
    public static final long ALL = WRITE_BLOCKED | PEER_DONE_WRITING | PEER_CONN_CLOSED | PEER_CONN_ABORT;

    private CdcFlags() {
    }

    /** Whether the writer will send no more data: done writing, closed or aborted. */
    public static boolean isEndOfStream(long flags) {
        return (flags & (PEER_DONE_WRITING | PEER_CONN_CLOSED | PEER_CONN_ABORT)) != 0;
    }

    /** Names the set bits, for logs and the stats tool. */
    public static String toString(long flags) {
        StringBuilder names = new StringBuilder();
        append(names, flags, WRITE_BLOCKED, "writeBlocked");
        append(names, flags, PEER_DONE_WRITING, "peerDoneWriting");
        append(names, flags, PEER_CONN_CLOSED, "peerConnClosed");
        append(names, flags, PEER_CONN_ABORT, "peerConnAbort");
        return names.length() == 0 ? "-" : names.toString();
    }

    private static void append(StringBuilder names, long flags, long bit, String name) {
        if ((flags & bit) != 0) {
            names.append(names.length() == 0 ? "" : "|").append(name);
        }
    }
}
