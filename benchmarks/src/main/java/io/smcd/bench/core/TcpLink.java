package io.smcd.bench.core;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A {@link Link} over a blocking loopback {@link SocketChannel} with {@code TCP_NODELAY}: the baseline.
 * Direct buffers keep NIO from copying through a temporary buffer. Not thread-safe.
 */
final class TcpLink implements Link {
    private final SocketChannel channel;

    TcpLink(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(true);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    }

    @Override
    public String name() {
        return Transport.TCP.label();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return dst.hasRemaining() ? channel.read(dst) : 0;
    }

    @Override
    public void writeFully(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            channel.write(src);
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing left to release: the descriptor is gone either way.
        }
    }
}
