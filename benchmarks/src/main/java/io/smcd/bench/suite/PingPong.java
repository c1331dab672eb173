package io.smcd.bench.suite;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.smcd.bench.common.PingMessage;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The client side of a ping-pong against the echo port: one message of {@code size} bytes in flight, each with its
 * sequence number and bytes derived from it, the echo compared byte for byte. Round trips that start after the
 * warm-up are recorded until the window ends. With a gap, each ping waits that long after the previous echo, so the
 * server's event loop (and this one) has gone to sleep: the wake-from-idle scenario. The pause is timed by a
 * separate thread that hands the ping to the event loop, so it works the same on transports whose loops never look
 * at timers (epoll busy-wait).
 *
 * <p>One instance per connection; confined to its event loop, except the timer hand-off.
 */
final class PingPong extends ChannelInboundHandlerAdapter {
    static final long HISTOGRAM_MAX_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final int size;
    private final long warmupNanos;
    private final long windowNanos;
    private final long gapNanos;
    private final ScheduledExecutorService timer;
    private final byte[] expected;
    private final Histogram histogram = new Histogram(1, HISTOGRAM_MAX_NANOS, 3);
    private final CompletableFuture<PingPong> done = new CompletableFuture<>();

    private ChannelHandlerContext ctx;
    private long sequence;
    private long sentAt;
    private int received;
    private long warmupEnd;
    private long windowEnd;
    private long windowStart = -1;
    private long lastEcho;

    /**
     * @param gapNanos pause before each ping, 0 for none
     * @param timer    times the pauses; unused when there are none
     */
    PingPong(int size, long warmupNanos, long windowNanos, long gapNanos, ScheduledExecutorService timer) {
        if (size < Long.BYTES) {
            throw new IllegalArgumentException("size=" + size + " must be >= 8");
        }
        this.size = size;
        this.warmupNanos = warmupNanos;
        this.windowNanos = windowNanos;
        this.gapNanos = gapNanos;
        this.timer = timer;
        this.expected = new byte[size];
    }

    /** Completes with this handler once the window has ended, or exceptionally. */
    CompletableFuture<PingPong> done() {
        return done;
    }

    Histogram histogram() {
        return histogram;
    }

    /** Round trips recorded. */
    long roundTrips() {
        return histogram.getTotalCount();
    }

    /** From the first recorded ping to the last recorded echo. */
    long windowNanos() {
        return lastEcho - windowStart;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        long now = System.nanoTime();
        warmupEnd = now + warmupNanos;
        windowEnd = warmupEnd + windowNanos;
        send();
        ctx.fireChannelActive();
    }

    private void send() {
        if (done.isDone()) {
            return;
        }
        PingMessage.fill(ByteBuffer.wrap(expected), sequence);
        ByteBuf ping = ctx.alloc().directBuffer(size, size).writeBytes(expected);
        received = 0;
        sentAt = System.nanoTime();
        ctx.writeAndFlush(ping, ctx.voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws IOException {
        ByteBuf in = (ByteBuf) msg;
        try {
            int n = in.readableBytes();
            if (received + n > size) {
                throw new IOException("echo of message " + sequence + " is longer than " + size + " bytes");
            }
            int from = in.readerIndex();
            for (int i = 0; i < n; i++) {
                if (in.getByte(from + i) != expected[received + i]) {
                    throw new IOException("echo of message " + sequence + " differs at byte " + (received + i));
                }
            }
            received += n;
        } finally {
            in.release();
        }
        if (received < size) {
            return;
        }
        long now = System.nanoTime();
        if (sentAt >= warmupEnd) {
            if (windowStart < 0) {
                windowStart = sentAt;
            }
            histogram.recordValue(Math.min(now - sentAt, HISTOGRAM_MAX_NANOS));
            lastEcho = now;
        }
        sequence++;
        if (now >= windowEnd) {
            done.complete(this);
            return;
        }
        if (gapNanos > 0) {
            timer.schedule(() -> ctx.executor().execute(this::send), gapNanos, TimeUnit.NANOSECONDS);
        } else {
            send();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        done.completeExceptionally(new IOException("connection closed after " + sequence + " round trips"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        done.completeExceptionally(cause);
        ctx.close();
    }
}
