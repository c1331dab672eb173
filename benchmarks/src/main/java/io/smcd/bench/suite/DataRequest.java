package io.smcd.bench.suite;

import io.netty.buffer.ByteBuf;
import io.smcd.bench.common.StreamPattern;

/**
 * The header a client writes first on a connection to the server's data port: which way the stream runs, in pieces
 * of what size, with which content, and the receiver's measuring window. Fixed length, big-endian. Immutable.
 *
 * <pre>
 *  0  kind: 'S' the server reads (sockperf throughput), 'R' the server writes (iperf3 -R)
 *  1  int  chunk size, bytes per write
 *  5  long pattern seed
 * 13  long warm-up, ns (the receiver counts from its first byte)
 * 21  long window, ns
 * 29  byte 1: compare every byte, 0: stamps only
 * </pre>
 *
 * @param serverSinks  whether the server reads and the client writes
 * @param chunkSize    bytes per write
 * @param seed         {@link StreamPattern} seed
 * @param warmupNanos  time from the receiver's first byte to the start of its window
 * @param windowNanos  length of the receiver's window
 * @param fullVerify   whether the receiver compares every byte
 */
record DataRequest(boolean serverSinks, int chunkSize, long seed, long warmupNanos, long windowNanos, boolean fullVerify) {
    static final int LENGTH = 30;
    /** After its window, a sink on the server answers with this many bytes: window bytes, window ns, compared bytes. */
    static final int REPORT_LENGTH = 24;

    DataRequest {
        if (chunkSize <= 0) {
            throw new IllegalArgumentException("chunkSize=" + chunkSize + " must be > 0");
        }
    }

    /** The stream's content, the same on both ends: a pattern whose block fits the chunk size ({@link StreamPattern#blockFor}). */
    StreamPattern pattern() {
        return new StreamPattern(StreamPattern.blockFor(chunkSize), seed);
    }

    void writeTo(ByteBuf out) {
        out.writeByte(serverSinks ? 'S' : 'R').writeInt(chunkSize).writeLong(seed).writeLong(warmupNanos).writeLong(windowNanos)
                .writeByte(fullVerify ? 1 : 0);
    }

    /** Reads one header from {@code in}, which holds at least {@link #LENGTH} bytes. */
    static DataRequest readFrom(ByteBuf in) {
        byte kind = in.readByte();
        if (kind != 'S' && kind != 'R') {
            throw new IllegalArgumentException("kind=" + kind + " is not 'S' or 'R'");
        }
        return new DataRequest(kind == 'S', in.readInt(), in.readLong(), in.readLong(), in.readLong(), in.readByte() != 0);
    }
}
