package io.smcd.sim.conn;

import io.smcd.sim.SmcdConnection;
import io.smcd.sim.SmcdException;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The read half of a test stream: reads with {@link SizeSequence} sizes until end of stream, keeps a
 * CRC32C of everything read and, when verifying, checks every byte against the {@link XorShiftStream}
 * the sender used. Fails on a byte beyond the expected length, or on an end of stream before it.
 * {@link #step()} never waits. Not thread-safe.
 */
final class StreamReceiver {
    /** For {@code expected}: the length is not known, read until end of stream. */
    static final long UNKNOWN = -1;

    private final SmcdConnection connection;
    private final long expected;
    private final XorShiftStream stream;
    private final SizeSequence sizes;
    private final ByteBuffer chunk;
    private final CRC32C crc = new CRC32C();
    private long received;
    private int readSize;
    private boolean endOfStream;

    /** {@code verify} false keeps only the CRC, for transfers too large to regenerate at full speed. */
    StreamReceiver(SmcdConnection connection, long expected, long seed, boolean verify, SizeSequence sizes) {
        this.connection = connection;
        this.expected = expected;
        this.stream = verify ? new XorShiftStream(seed) : null;
        this.sizes = sizes;
        this.chunk = ByteBuffer.allocateDirect(sizes.max());
    }

    /** Tries one read; returns whether it read bytes or the end of stream. */
    boolean step() throws SmcdException {
        if (endOfStream) {
            return false;
        }
        if (readSize == 0) {
            // The next size is drawn only after a read succeeded, so the sizes do not depend on timing.
            readSize = sizes.next();
        }
        chunk.clear().limit(readSize);
        int n = connection.read(chunk);
        if (n == 0) {
            if (chunk.position() != 0) {
                throw new AssertionError("read returned 0 but moved the buffer: " + connection);
            }
            return false;
        }
        if (n < 0) {
            endOfStream = true;
            if (expected != UNKNOWN && received != expected) {
                throw new AssertionError("end of stream after " + received + " of " + expected + " bytes: " + connection);
            }
            return true;
        }
        if (chunk.position() != n || n > readSize) {
            throw new AssertionError("read returned " + n + " for a buffer of " + readSize + " but moved it to "
                    + chunk.position() + ": " + connection);
        }
        if (expected != UNKNOWN && received + n > expected) {
            throw new AssertionError("read " + (received + n) + " bytes, more than the " + expected + " sent: " + connection);
        }
        if (stream != null) {
            stream.verify(chunk, 0, n, "on " + connection);
        }
        crc.update(chunk.flip());
        received += n;
        readSize = 0;
        return true;
    }

    /** Whether end of stream was read. */
    boolean isDone() {
        return endOfStream;
    }

    long received() {
        return received;
    }

    long crc() {
        return crc.getValue();
    }

    @Override
    public String toString() {
        return "receiver(received=" + received + "/" + (expected == UNKNOWN ? "?" : expected) + ", sizes=" + sizes + ")";
    }
}
