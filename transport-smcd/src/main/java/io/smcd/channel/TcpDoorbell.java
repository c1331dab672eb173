package io.smcd.channel;

import io.smcd.sim.Doorbell;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The doorbell of an SMC-D connection: one byte written on its TCP socket, which wakes the peer's selector. The
 * receiving side drains such bytes and polls its RMB ({@link SmcdDataPath#drainDoorbells}).
 *
 * <p>Rung by the connection's event loop thread (or by the closing thread once the loop let go of the channel).
 */
final class TcpDoorbell implements Doorbell {
    private final SocketChannel socket;
    private final ByteBuffer bell = ByteBuffer.allocateDirect(1);

    TcpDoorbell(SocketChannel socket) {
        this.socket = socket;
    }

    @Override
    public void ring() {
        bell.clear();
        try {
            // A full socket buffer (0 written) is fine: the peer has unread doorbell bytes and will wake anyway.
            socket.write(bell);
        } catch (IOException e) {
            // The peer closed or died; its side of the socket tells us that on our next read.
        }
    }
}
