package io.smcd.channel.process;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps every byte a channel receives, every exception it sees, and whether it closed, for a test thread to wait on.
 * Thread-safe: the event loop adds, the test thread waits and reads, all under this object's monitor.
 */
final class CollectingHandler extends ChannelInboundHandlerAdapter {
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final List<Throwable> exceptions = new ArrayList<>();
    private boolean inactive;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            synchronized (this) {
                received.writeBytes(bytes);
                notifyAll();
            }
        } finally {
            buf.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        synchronized (this) {
            inactive = true;
            notifyAll();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        synchronized (this) {
            exceptions.add(cause);
            notifyAll();
        }
        ctx.close();
    }

    synchronized byte[] received() {
        return received.toByteArray();
    }

    synchronized List<Throwable> exceptions() {
        return new ArrayList<>(exceptions);
    }

    /** Waits until at least {@code bytes} arrived; fails if the channel closes first or after {@code bound}. */
    synchronized byte[] awaitBytes(int bytes, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (received.size() < bytes) {
            if (inactive) {
                throw new AssertionError("channel closed after " + received.size() + " of " + bytes + " bytes: "
                        + printable(received.toByteArray()) + ", exceptions " + exceptions);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("only " + received.size() + " of " + bytes + " bytes after " + bound + ": "
                        + printable(received.toByteArray()) + ", exceptions " + exceptions);
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return received.toByteArray();
    }

    /** Waits until the channel is inactive and returns everything it received. */
    synchronized byte[] awaitInactive(Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!inactive) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("channel still active after " + bound + ", received "
                        + printable(received.toByteArray()) + ", exceptions " + exceptions);
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return received.toByteArray();
    }

    /** The bytes as text with anything outside printable ASCII in hex, for failure messages. */
    static String printable(byte[] bytes) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte b : bytes) {
            if (b >= 0x20 && b < 0x7f) {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02x", b & 0xff));
            }
        }
        return sb.append("\" (").append(bytes.length).append(" bytes)").toString();
    }
}
