package io.smcd.bench.core;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One end of a benchmark connection, whatever carries it: an SMC-D core connection that spins, or a
 * blocking TCP socket. Not thread-safe; one thread drives it.
 */
interface Link extends AutoCloseable {
    /** The transport's name in reports. */
    String name();

    /**
     * Reads what is available into {@code dst}, waiting for at least one byte if {@code dst} has room.
     * Returns the count, or -1 at end of stream.
     */
    int read(ByteBuffer dst) throws IOException;

    /** Writes every remaining byte of {@code src}, waiting for room as needed. */
    void writeFully(ByteBuffer src) throws IOException;

    /** Signals end of stream to the peer; data already written still arrives. */
    void shutdownOutput() throws IOException;

    /** Fills {@code dst} completely. */
    default void readFully(ByteBuffer dst) throws IOException {
        while (dst.hasRemaining()) {
            if (read(dst) < 0) {
                throw new EOFException(name() + ": end of stream with " + dst.remaining() + " bytes still expected");
            }
        }
    }

    /** Releases the connection; idempotent. */
    @Override
    void close();
}
