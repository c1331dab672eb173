package io.smcd.examples.echo;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One measured echo connection: warm-up and measured ping-pongs (one message in flight), then streaming (writes as
 * long as the channel is writable) until the time or byte budget is spent and every byte has come back. Every echoed
 * byte is compared with what was sent. The outcome completes {@code result}, then the channel closes.
 *
 * <p>All bytes sent follow one pattern, byte {@code i} of the stream being {@code i % 251}: a period prime to every
 * buffer size, so a lost, repeated or reordered chunk shows as a mismatch.
 *
 * <p>Not sharable; confined to its channel's event loop.
 */
final class EchoClientSession extends ChannelInboundHandlerAdapter {
    private static final int PERIOD = 251;
    /** Longest comparison of one step; the pattern buffer holds one more period than this. */
    private static final int COMPARE_STEP = 65536;

    private enum Phase { CONNECTING, PING, STREAM, DONE }

    private final EchoClient.Options options;
    private final CompletableFuture<EchoClient.ConnectionReport> result;
    private final Histogram rtt = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);

    private ByteBuf pattern;
    private Phase phase = Phase.CONNECTING;
    private int warmupLeft;
    private int pingsLeft;
    private int pingReceived;
    private long pingStart;

    private long sent;
    private long received;
    private long streamStart;
    private long lastReceived;
    private boolean stopSending;
    private ScheduledFuture<?> streamTimer;

    EchoClientSession(EchoClient.Options options, CompletableFuture<EchoClient.ConnectionReport> result) {
        this.options = options;
        this.result = result;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        int length = Math.max(Math.max(options.chunkSize, options.pingSize), COMPARE_STEP) + PERIOD;
        pattern = ctx.alloc().directBuffer(length, length);
        for (int i = 0; i < length; i++) {
            pattern.writeByte(i % PERIOD);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (streamTimer != null) {
            streamTimer.cancel(false);
        }
        pattern.release();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        warmupLeft = options.warmupPings;
        pingsLeft = options.pings;
        phase = Phase.PING;
        nextPing(ctx);
        ctx.fireChannelActive();
    }

    private void nextPing(ChannelHandlerContext ctx) {
        if (warmupLeft == 0 && pingsLeft == 0) {
            startStream(ctx);
            return;
        }
        pingReceived = 0;
        pingStart = System.nanoTime();
        ctx.writeAndFlush(pattern.retainedSlice(0, options.pingSize), ctx.voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            if (phase == Phase.PING) {
                pingRead(ctx, buf);
            } else if (phase == Phase.STREAM) {
                streamRead(ctx, buf);
            } else if (buf.isReadable()) {
                fail(ctx, new IOException("server sent " + buf.readableBytes() + " bytes nobody asked for"));
            }
        } finally {
            buf.release();
        }
    }

    private void pingRead(ChannelHandlerContext ctx, ByteBuf buf) {
        int n = buf.readableBytes();
        if (pingReceived + n > options.pingSize) {
            fail(ctx, new IOException("echo longer than the ping: " + (pingReceived + n) + " > " + options.pingSize));
            return;
        }
        IOException mismatch = mismatch(pingReceived, buf);
        if (mismatch != null) {
            fail(ctx, mismatch);
            return;
        }
        pingReceived += n;
        if (pingReceived < options.pingSize) {
            return;
        }
        long nanos = System.nanoTime() - pingStart;
        if (warmupLeft > 0) {
            warmupLeft--;
        } else {
            rtt.recordValue(Math.min(nanos, rtt.getHighestTrackableValue()));
            pingsLeft--;
        }
        nextPing(ctx);
    }

    private void startStream(ChannelHandlerContext ctx) {
        phase = Phase.STREAM;
        streamStart = lastReceived = System.nanoTime();
        long nanos = options.streamDuration.toNanos();
        if (nanos == 0 && options.streamBytes == 0) {
            finish(ctx);
            return;
        }
        if (nanos > 0) {
            streamTimer = ctx.executor().schedule(() -> {
                stopSending = true;
                finishIfDrained(ctx);
            }, nanos, TimeUnit.NANOSECONDS);
        }
        writeChunks(ctx);
    }

    private void writeChunks(ChannelHandlerContext ctx) {
        boolean wrote = false;
        while (!stopSending && ctx.channel().isWritable()) {
            long budget = options.streamBytes == 0 ? options.chunkSize : options.streamBytes - sent;
            if (budget <= 0) {
                stopSending = true;
                break;
            }
            int length = (int) Math.min(options.chunkSize, budget);
            ctx.write(pattern.retainedSlice((int) (sent % PERIOD), length), ctx.voidPromise());
            sent += length;
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
        finishIfDrained(ctx);
    }

    private void streamRead(ChannelHandlerContext ctx, ByteBuf buf) {
        int n = buf.readableBytes();
        if (received + n > sent) {
            fail(ctx, new IOException("echoed " + (received + n) + " bytes but sent only " + sent));
            return;
        }
        IOException mismatch = mismatch(received, buf);
        if (mismatch != null) {
            fail(ctx, mismatch);
            return;
        }
        received += n;
        lastReceived = System.nanoTime();
        finishIfDrained(ctx);
    }

    private void finishIfDrained(ChannelHandlerContext ctx) {
        if (phase == Phase.STREAM && stopSending && received == sent) {
            finish(ctx);
        }
    }

    /** Compares {@code buf} with the pattern at stream offset {@code offset}: null if equal, else the difference. */
    private IOException mismatch(long offset, ByteBuf buf) {
        int index = buf.readerIndex();
        int remaining = buf.readableBytes();
        long at = offset;
        while (remaining > 0) {
            int step = Math.min(remaining, COMPARE_STEP);
            if (!ByteBufUtil.equals(pattern, (int) (at % PERIOD), buf, index, step)) {
                for (int i = 0; i < step; i++) {
                    byte expected = (byte) ((at + i) % PERIOD);
                    byte actual = buf.getByte(index + i);
                    if (actual != expected) {
                        return new IOException("wrong echoed byte at offset " + (at + i) + ": expected " + expected
                                + ", got " + actual);
                    }
                }
            }
            index += step;
            at += step;
            remaining -= step;
        }
        return null;
    }

    private void finish(ChannelHandlerContext ctx) {
        phase = Phase.DONE;
        if (streamTimer != null) {
            streamTimer.cancel(false);
        }
        result.complete(new EchoClient.ConnectionReport(ctx.channel(), rtt, options.pingSize, received,
                lastReceived - streamStart, options.chunkSize));
        ctx.close();
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        phase = Phase.DONE;
        result.completeExceptionally(cause);
        ctx.close();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (phase == Phase.STREAM) {
            writeChunks(ctx);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (phase != Phase.DONE) {
            fail(ctx, new IOException("connection closed during " + phase + " (sent " + sent + ", received "
                    + received + ")"));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, cause);
    }
}
