package io.smcd.channel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.Future;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.smcd.sim.SmcdException;
import io.smcd.sim.SmcdReason;
import io.smcd.sim.handshake.ClcHandshakeStep;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * Drives one side of the CLC handshake of an {@link SmcdSocketChannel} over its TCP socket: reads bytes into the
 * handshake state machine, writes what it answers, runs the CLC timer, and hands the outcome to the channel (SMC-D
 * data path, TCP fallback with the bytes that followed the handshake, or failure). Subclasses supply the role.
 *
 * <p>Holds one reference on the domain, which passes to the data path on success and is released otherwise.
 * Confined to the channel's event loop thread.
 */
abstract class ClcNegotiation {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(ClcNegotiation.class);
    /** Room for two maximal CLC messages, so one always fits after a partial one. */
    private static final int RECEIVE_BUFFER_SIZE = 4096;

    final SmcdSocketChannel channel;
    final SmcdDomainContext domain;
    final int timeoutMillis;
    private final ByteBuffer received = ByteBuffer.allocate(RECEIVE_BUFFER_SIZE);
    private Future<?> timer;
    private boolean finished;
    /** Whether {@link #received} is flipped for reading (inside {@link #onReadable}) rather than filling. */
    private boolean reading;

    ClcNegotiation(SmcdSocketChannel channel, SmcdDomainContext domain, int timeoutMillis) {
        this.channel = channel;
        this.domain = domain;
        this.timeoutMillis = timeoutMillis;
    }

    /** The handshake's answer to bytes from the peer. */
    abstract ClcHandshakeStep onBytes(ByteBuffer bytes) throws SmcdException;

    /** The handshake's answer to the CLC timer, or null when the subclass settled the outcome itself. */
    abstract ClcHandshakeStep onTimeout() throws SmcdException;

    /** Gives the handshake up without an answer, releasing what it holds: the channel is closing. */
    abstract void abandonHandshake();

    /**
     * The peer closed its end before the handshake ended: returns the outcome if the handshake ended anyway, outside the
     * socket (the server joined the client's intent and has since closed), or null to fall back.
     */
    ClcHandshakeStep onPeerClosed() {
        return null;
    }

    /**
     * Called before the first bytes reach the handshake: returns null if they are CLC, or the reason if the peer turned
     * out to speak plain TCP, in which case every byte received is application data.
     */
    SmcdFallbackReason beforeFirstBytes() throws SmcdException {
        return null;
    }

    /** (Re)starts the CLC timer: each message this side waits for gets the full timeout, as in the kernel. */
    final void startTimer() {
        if (timer != null) {
            timer.cancel(false);
        }
        timer = channel.negotiationLoop().schedule(this::timeout, timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** The socket is readable: feed what arrived to the handshake. */
    final void onReadable(SocketChannel socket) {
        if (finished) {
            return;
        }
        int n;
        try {
            n = socket.read(received);
        } catch (IOException e) {
            n = -1;
        }
        if (n < 0) {
            ClcHandshakeStep settled = onPeerClosed();
            if (settled != null) {
                apply(settled);
                return;
            }
            abandon();
            // What is left is the start of a CLC message the peer never finished (whole ones were consumed, and data
            // after a fallback is handed over by fallBack): not the application's bytes.
            received.clear();
            channel.clcFellBack(new SmcdFallbackReason(SmcdReason.PEER_ABORT, SmcdReason.NONE,
                    "peer closed the connection during CLC"), null);
            return;
        }
        if (n == 0) {
            return;
        }
        received.flip();
        reading = true;
        try {
            SmcdFallbackReason plain = beforeFirstBytes();
            if (plain != null) {
                fallBack(plain);
                return;
            }
            apply(onBytes(received));
        } catch (SmcdException e) {
            fail(e);
        } finally {
            reading = false;
            received.compact();
        }
    }

    private void timeout() {
        if (finished) {
            return;
        }
        try {
            ClcHandshakeStep step = onTimeout();
            if (step != null) {
                apply(step);
            }
        } catch (SmcdException e) {
            fail(e);
        }
    }

    /** Writes the step's output and acts on its status. */
    final void apply(ClcHandshakeStep step) {
        try {
            writeFully(step.output());
        } catch (IOException e) {
            if (step.connection() != null) {
                step.connection().abort();
            }
            abandonHandshake();
            fail(e);
            return;
        }
        boolean sent = step.output().position() > 0;
        switch (step.status()) {
            case RUNNING:
                if (sent) {
                    startTimer();
                }
                return;
            case SMCD:
                finish();
                channel.clcSucceeded(new SmcdDataPath(channel, step.connection(), domain.modeOf(step.device()), domain));
                return;
            case FALLBACK:
                SmcdFallbackReason reason = new SmcdFallbackReason(step.localReason(), step.peerReason(),
                        step.localReason() == SmcdReason.PEERDECL
                                ? "peer declined SMC-D: " + SmcdReason.describe(step.peerReason())
                                : "SMC-D declined here: " + SmcdReason.describe(step.localReason()));
                fallBack(reason);
                return;
            default:
                fail(step.failure());
        }
    }

    /** Ends the handshake over TCP; the bytes received after it are the application's. */
    final void fallBack(SmcdFallbackReason reason) {
        finish();
        domain.release();
        channel.clcFellBack(reason, leftover());
    }

    private void fail(IOException cause) {
        if (!finished) {
            finish();
            domain.release();
        }
        logger.debug("smcd: {} CLC failed", channel, cause);
        channel.clcFailed(cause);
    }

    /** Releases everything the negotiation holds; the channel is closing before the handshake ended. */
    final void abandon() {
        if (!finished) {
            abandonHandshake();
            finish();
            domain.release();
        }
    }

    private void finish() {
        finished = true;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** What was received and not consumed by the handshake, or null if nothing. */
    private ByteBuf leftover() {
        ByteBuffer rest = reading ? received.duplicate() : received.duplicate().flip();
        if (!rest.hasRemaining()) {
            return null;
        }
        ByteBuf copy = Unpooled.copiedBuffer(rest);
        received.clear();
        if (reading) {
            received.flip();
        }
        return copy;
    }

    private void writeFully(ByteBuffer output) throws IOException {
        SocketChannel socket = channel.socket();
        while (output.hasRemaining()) {
            if (socket.write(output) == 0) {
                throw new SmcdException(SmcdReason.INTERR, "CLC message did not fit into the TCP send buffer");
            }
        }
    }
}
