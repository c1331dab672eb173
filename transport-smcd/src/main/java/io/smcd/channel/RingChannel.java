package io.smcd.channel;

import io.smcd.sim.SmcdConnection;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * The write side of an SMC-D connection as a {@link WritableByteChannel}, so that a {@code FileRegion} can transfer
 * itself into the peer's RMB. A write accepts what fits and returns 0 when the peer's ring is full.
 */
final class RingChannel implements WritableByteChannel {
    private final SmcdConnection connection;

    RingChannel(SmcdConnection connection) {
        this.connection = connection;
    }

    @Override
    public int write(ByteBuffer src) throws java.io.IOException {
        return connection.write(src);
    }

    @Override
    public boolean isOpen() {
        return !connection.isClosed();
    }

    @Override
    public void close() {
        // The connection is closed with its channel, never by a file transfer.
    }
}
