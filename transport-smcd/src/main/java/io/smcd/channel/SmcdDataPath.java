package io.smcd.channel;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.FileRegion;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.socket.ChannelOutputShutdownException;
import io.smcd.sim.CdcFlags;
import io.smcd.sim.SmcdConnection;
import io.smcd.sim.SmcdException;
import io.smcd.sim.SmcdReason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The SMC-D data path of one {@link SmcdSocketChannel}: its {@link SmcdConnection} (RMB and the peer's DMB) adapted to
 * Netty's read and write loops, and the {@link SmcdIoHandle} its event loop polls.
 *
 * <p>Read interest replaces the socket's {@code OP_READ}: the TCP socket stays registered for reading all the time,
 * because it carries the peer's doorbells and shows the peer's death (EOF or reset without a CDC close flag).
 *
 * <p>Thread-safety: confined to the channel's event loop thread, like the channel's unsafe.
 */
final class SmcdDataPath implements SmcdIoHandle {
    private final SmcdSocketChannel channel;
    private final SmcdConnection connection;
    private final SmcdMode mode;
    private final SmcdDomainContext domain;
    private final RingChannel ring;
    private final ByteBuffer doorbells = ByteBuffer.allocateDirect(64);
    private final int maxBytesPerWrite;
    private ByteBuffer discarded;

    private SmcdIoHandler handler;
    private boolean readInterest;
    private boolean writePending;
    private boolean inputShutdown;
    private boolean outputShutdown;
    /** The peer's end of the TCP socket is gone: it closed its channel or its process ended. */
    private boolean socketClosedByPeer;
    /** The socket closed and no CDC close flag came: the peer process ended. */
    private boolean peerVanished;
    private int eofReads;
    private boolean closed;

    /** Takes over {@code connection} and one reference on {@code domain}; both are released by {@link #close}. */
    SmcdDataPath(SmcdSocketChannel channel, SmcdConnection connection, SmcdMode mode, SmcdDomainContext domain) {
        this.channel = channel;
        this.connection = connection;
        this.mode = mode;
        this.domain = domain;
        this.ring = new RingChannel(connection);
        this.maxBytesPerWrite = connection.peerDmb().ringSize();
    }

    SmcdMode mode() {
        return mode;
    }

    /** The SMC-D connection: its buffers and counters may be read from any thread, everything else from this loop. */
    SmcdConnection connection() {
        return connection;
    }

    /** Starts being polled by {@code handler}, the channel's current event loop. */
    void attach(SmcdIoHandler handler) {
        this.handler = handler;
        handler.add(this);
    }

    /** Stops being polled: the channel leaves its event loop. */
    void detach() {
        if (handler != null) {
            handler.remove(this);
            handler = null;
        }
    }

    void readInterest(boolean interest) {
        readInterest = interest;
    }

    // ---------------------------------------------------------------- polling

    @Override
    public int poll() {
        if (closed) {
            return 0;
        }
        int work = 0;
        if (writePending && canWrite()) {
            channel.unsafe().forceFlush();
            work++;
        }
        if (inputShutdown) {
            work += discardInput();
        }
        if (!closed && (readInterest ? canRead() : endOfInputUnseen())) {
            channel.unsafe().read();
            work++;
            if (peerVanished && channel.isOpen()) {
                // Even with half-closure allowed: a vanished peer reads nothing more either.
                channel.unsafe().close(channel.unsafe().voidPromise());
            }
        }
        return work;
    }

    /**
     * The end of the peer's stream (or its death) arrived while nobody asked to read and nothing is left to read: it
     * is delivered anyway, as epoll delivers {@code EPOLLRDHUP}, so a half-closed channel learns it without a read.
     * Two EOF reads at most: the first shuts the input down, the second reports that all input was read.
     */
    private boolean endOfInputUnseen() {
        if (eofReads >= 2) {
            return false;
        }
        if (socketClosedByPeer) {
            return true;
        }
        try {
            return connection.readableBytes() == 0 && CdcFlags.isEndOfStream(connection.peerFlags());
        } catch (SmcdException e) {
            return true;
        }
    }

    @Override
    public boolean prepareToSleep() {
        if (closed) {
            return true;
        }
        try {
            if (writePending && !outputShutdown && !canWrite()) {
                // The last write may have filled the ring without coming back empty: make sure the reader's next
                // consumer-cursor update rings this side (Dekker with its publishConsumerCursor).
                connection.announceWriteBlocked();
            }
            connection.prepareToSleep();
        } catch (SmcdException e) {
            return false;
        }
        // Re-check with this channel's interests: data nobody asked for must not keep the loop awake.
        return !(writePending && canWrite()) && !(readInterest ? canRead() : endOfInputUnseen());
    }

    @Override
    public void wakeUp() {
        if (!closed) {
            connection.wakeUp();
        }
    }

    private boolean canWrite() {
        if (socketClosedByPeer) {
            return true;
        }
        try {
            return connection.writableBytes() > 0;
        } catch (SmcdException e) {
            return true;
        }
    }

    private boolean canRead() {
        if (inputShutdown || socketClosedByPeer) {
            return true;
        }
        try {
            return connection.readableBytes() > 0 || CdcFlags.isEndOfStream(connection.peerFlags());
        } catch (SmcdException e) {
            return true;
        }
    }

    /**
     * Reads the doorbell bytes the peer wrote on the TCP socket. Returns true if the peer's end of the socket is gone
     * (EOF or reset), after which the caller stops selecting the socket for reading. A read that does not fill the
     * buffer took all that was queued, so it ends the drain without a further read that would only say so; a byte or
     * an end of stream arriving after it keeps the (level-triggered) socket ready for the next select.
     */
    boolean drainDoorbells(SocketChannel socket) {
        for (;;) {
            doorbells.clear();
            int n;
            try {
                n = socket.read(doorbells);
            } catch (IOException e) {
                n = -1;
            }
            if (n < 0) {
                socketClosedByPeer = true;
                return true;
            }
            connection.counters().doorbellsReceived(n);
            if (n < doorbells.capacity()) {
                return false;
            }
        }
    }

    // ---------------------------------------------------------------- read side

    /** Netty's {@code doReadBytes}: bytes read into {@code buf}, 0 if none, -1 at end of stream. */
    int read(ByteBuf buf, RecvByteBufAllocator.Handle allocHandle) throws IOException {
        allocHandle.attemptedBytesRead(buf.writableBytes());
        if (inputShutdown) {
            discardInput();
            eofReads++;
            return -1;
        }
        int n = connection.read(buf.internalNioBuffer(buf.writerIndex(), buf.writableBytes()));
        if (n > 0) {
            buf.writerIndex(buf.writerIndex() + n);
        } else if (n < 0) {
            eofReads++;
        } else if (socketClosedByPeer) {
            peerVanished = true;
            throw peerGone();
        }
        return n;
    }

    /** Reads and drops what arrives after {@code shutdownInput}, so the peer never blocks on a ring nobody reads. */
    private int discardInput() {
        try {
            int dropped = 0;
            int n;
            if (discarded == null) {
                discarded = ByteBuffer.allocate(8192);
            }
            ByteBuffer sink = discarded;
            do {
                sink.clear();
                n = connection.read(sink);
                dropped += Math.max(n, 0);
            } while (n > 0);
            return dropped > 0 ? 1 : 0;
        } catch (SmcdException e) {
            return 0;
        }
    }

    void shutdownInput() {
        inputShutdown = true;
    }

    boolean isInputShutdown() {
        return inputShutdown;
    }

    // ---------------------------------------------------------------- write side

    /**
     * Netty's {@code doWrite}: writes what the peer's ring takes, at most {@code writeSpinCount} times. What remains
     * is flushed by {@link #poll} once the peer frees space, or on the next pass when the quantum ran out.
     */
    void write(ChannelOutboundBuffer in, int writeSpinCount) throws IOException {
        if (outputShutdown) {
            ChannelOutputShutdownException cause = new ChannelOutputShutdownException("Channel output shutdown");
            while (in.remove(cause)) {
                // Fails each flushed message, as Netty does once a channel's output is shut down.
            }
            writePending = false;
            return;
        }
        if (socketClosedByPeer) {
            // A peer that closed SMC-D properly makes this throw "broken pipe"; one that just vanished did not.
            connection.writableBytes();
            throw peerGone();
        }
        for (int spins = writeSpinCount; spins > 0; spins--) {
            Object msg = in.current();
            if (msg == null) {
                writePending = false;
                return;
            }
            long written;
            if (msg instanceof FileRegion) {
                FileRegion region = (FileRegion) msg;
                if (region.transferred() >= region.count()) {
                    in.remove();
                    continue;
                }
                written = region.transferTo(ring, region.transferred());
                if (written > 0) {
                    in.progress(written);
                    if (region.transferred() >= region.count()) {
                        in.remove();
                    }
                }
            } else {
                ByteBuffer[] buffers = in.nioBuffers(1024, maxBytesPerWrite);
                int count = in.nioBufferCount();
                if (count == 0) {
                    in.remove();
                    continue;
                }
                written = count == 1 ? connection.write(buffers[0]) : connection.write(buffers, 0, count);
                if (written > 0) {
                    in.removeBytes(written);
                }
            }
            if (written == 0) {
                writePending = true;
                return;
            }
        }
        writePending = in.current() != null;
    }

    /** Publishes {@code peerDoneWriting}; later writes fail, data already written still arrives. */
    void shutdownOutput() {
        if (!outputShutdown && !closed) {
            outputShutdown = true;
            connection.shutdownOutput();
        }
    }

    boolean isOutputShutdown() {
        return outputShutdown;
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Closes the connection: {@code peerConnClosed}, or {@code peerConnAbort} if {@code abort} or unread data remains,
     * then releases both DMBs and the domain. The TCP socket is closed after this by the channel.
     */
    void close(boolean abort) {
        if (closed) {
            return;
        }
        closed = true;
        detach();
        try {
            if (abort) {
                connection.abort();
            } else {
                connection.close();
            }
        } finally {
            domain.release();
        }
    }

    private static IOException peerGone() {
        return new SmcdException(SmcdReason.PEER_ABORT,
                "connection reset by peer: its socket closed without an SMC-D close (the peer process ended)");
    }

    @Override
    public String toString() {
        return "SmcdDataPath(" + mode + ", " + connection + ")";
    }
}
