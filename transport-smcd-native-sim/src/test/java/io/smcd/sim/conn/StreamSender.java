package io.smcd.sim.conn;

import io.smcd.sim.SmcdConnection;
import io.smcd.sim.SmcdException;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The write half of a test stream: sends {@code limit} bytes of an {@link XorShiftStream} through one
 * connection in chunks of {@link SizeSequence} sizes, then shuts its output down. Every fourth chunk goes
 * through the gathering write, split in three with an empty buffer in the middle. Keeps a CRC32C of
 * everything accepted. {@link #step()} never waits, so one thread can alternate it with a
 * {@link StreamReceiver}, or a thread of its own can loop on it. Not thread-safe.
 */
final class StreamSender {
    private final SmcdConnection connection;
    private final long limit;
    private final XorShiftStream stream;
    private final SizeSequence sizes;
    private final ByteBuffer chunk;
    private final ByteBuffer[] parts = new ByteBuffer[3];
    private final CRC32C crc = new CRC32C();
    private long sent;
    private long chunks;
    private int chunkSize;
    private int chunkDone;
    private boolean outputShut;

    /** {@code limit} may be {@link Long#MAX_VALUE} for a stream that never ends. */
    StreamSender(SmcdConnection connection, long limit, long seed, SizeSequence sizes) {
        this.connection = connection;
        this.limit = limit;
        this.stream = new XorShiftStream(seed);
        this.sizes = sizes;
        this.chunk = ByteBuffer.allocateDirect(sizes.max());
    }

    /**
     * Tries one write (or the final {@code shutdownOutput}); returns whether anything was accepted.
     * A write that returns 0 leaves the connection write-blocked, as the protocol requires.
     */
    boolean step() throws SmcdException {
        if (sent == limit) {
            if (!outputShut) {
                connection.shutdownOutput();
                outputShut = true;
                return true;
            }
            return false;
        }
        if (chunkDone == chunkSize) {
            chunkSize = (int) Math.min(sizes.next(), limit - sent);
            chunkDone = 0;
            stream.fill(chunk, 0, chunkSize);
            chunks++;
        }
        long accepted;
        if (chunks % 4 == 0 && chunkSize - chunkDone >= 2) {
            int split = chunkDone + (chunkSize - chunkDone) / 3;
            parts[0] = chunk.duplicate().limit(split).position(chunkDone);
            parts[1] = chunk.duplicate().limit(split).position(split);
            parts[2] = chunk.duplicate().limit(chunkSize).position(split);
            accepted = connection.write(parts, 0, parts.length);
            long consumed = (parts[0].position() - chunkDone) + (parts[2].position() - split);
            if (consumed != accepted) {
                throw new AssertionError("gathering write returned " + accepted + " but consumed " + consumed
                        + " bytes of its buffers: " + connection);
            }
        } else {
            ByteBuffer src = chunk.duplicate().limit(chunkSize).position(chunkDone);
            accepted = connection.write(src);
            if (src.position() - chunkDone != accepted) {
                throw new AssertionError("write returned " + accepted + " but consumed " + (src.position() - chunkDone)
                        + " bytes: " + connection);
            }
        }
        if (accepted == 0) {
            if (!connection.isWriteBlocked()) {
                throw new AssertionError("write accepted nothing but is not write-blocked: " + connection);
            }
            return false;
        }
        crc.update(chunk.slice(chunkDone, (int) accepted));
        chunkDone += (int) accepted;
        sent += accepted;
        return true;
    }

    /** Whether everything was sent and the output shut down. */
    boolean isDone() {
        return outputShut;
    }

    long sent() {
        return sent;
    }

    long crc() {
        return crc.getValue();
    }

    @Override
    public String toString() {
        return "sender(sent=" + sent + "/" + limit + ", seed=0x" + Long.toHexString(stream.seed()) + ", sizes=" + sizes + ")";
    }
}
