package io.smcd.channel.process;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.CRC32C;

/**
 * Streams {@code total} pseudo-random bytes to an echo server and takes the echo back, with Netty's backpressure: it
 * writes only while the channel is writable and resumes on {@code channelWritabilityChanged}, so at most the high
 * water mark is ever buffered. The data are slices at random offsets and random lengths of one random block, so no
 * two chunks line up with each other or with the rings; CRC32C over what was sent and over what came back tell
 * whether every byte arrived in order.
 *
 * <p>{@link #done()} completes when all {@code total} bytes came back, and fails if the channel fails or closes
 * first. {@link #reached()} completes once {@code threshold} bytes came back. The counters are written by the event
 * loop and read by the test thread after a future completed (or for progress messages).
 */
final class StreamingEchoClient extends ChannelInboundHandlerAdapter {
    private static final int BLOCK = 4 << 20;
    private static final int MAX_CHUNK = 128 * 1024;

    private final long total;
    private final long threshold;
    private final ByteBuf block;
    private final SplittableRandom random;
    private final CRC32C sentCrc = new CRC32C();
    private final CRC32C receivedCrc = new CRC32C();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final CompletableFuture<Void> reached = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final List<Throwable> exceptionsCaught = new CopyOnWriteArrayList<>();
    private final List<Throwable> writeFailures = new CopyOnWriteArrayList<>();
    private volatile long sent;
    private volatile long received;
    private volatile long startNanos;
    private volatile long endNanos;

    StreamingEchoClient(long total, long threshold, long seed) {
        this.total = total;
        this.threshold = threshold;
        this.random = new SplittableRandom(seed);
        this.block = Unpooled.directBuffer(BLOCK + MAX_CHUNK);
        SplittableRandom fill = new SplittableRandom(seed ^ 0x5DEECE66DL);
        while (block.writableBytes() >= Long.BYTES) {
            block.writeLong(fill.nextLong());
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        startNanos = System.nanoTime();
        pump(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        pump(ctx);
        ctx.fireChannelWritabilityChanged();
    }

    private void pump(ChannelHandlerContext ctx) {
        boolean wrote = false;
        while (ctx.channel().isWritable() && sent < total) {
            int length = (int) Math.min(1 + random.nextInt(MAX_CHUNK), total - sent);
            int offset = random.nextInt(BLOCK);
            sentCrc.update(block.nioBuffer(offset, length));
            sent += length;
            ctx.write(block.retainedSlice(offset, length)).addListener(recordWriteFailure);
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
    }

    private final ChannelFutureListener recordWriteFailure = new ChannelFutureListener() {
        @Override
        public void operationComplete(ChannelFuture future) {
            if (!future.isSuccess() && writeFailures.size() < 16) {
                writeFailures.add(future.cause());
            }
        }
    };

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            int n = buf.readableBytes();
            if (buf.nioBufferCount() == 1) {
                receivedCrc.update(buf.nioBuffer());
            } else {
                for (ByteBuffer part : buf.nioBuffers()) {
                    receivedCrc.update(part);
                }
            }
            received += n;
        } finally {
            buf.release();
        }
        if (received >= threshold) {
            reached.complete(null);
        }
        if (received > total) {
            done.completeExceptionally(new AssertionError("received " + received + " bytes, sent only " + total));
        } else if (received == total) {
            endNanos = System.nanoTime();
            done.complete(null);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        exceptionsCaught.add(cause);
        done.completeExceptionally(cause);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        done.completeExceptionally(new AssertionError("channel closed after " + received + " of " + total
                + " bytes came back; " + this));
        closed.complete(null);
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (block.refCnt() > 0) {
            block.release();
        }
    }

    CompletableFuture<Void> done() {
        return done;
    }

    CompletableFuture<Void> reached() {
        return reached;
    }

    /** Completes on {@code channelInactive}. */
    CompletableFuture<Void> closed() {
        return closed;
    }

    List<Throwable> exceptionsCaught() {
        return exceptionsCaught;
    }

    List<Throwable> writeFailures() {
        return writeFailures;
    }

    long sent() {
        return sent;
    }

    long received() {
        return received;
    }

    long sentCrc() {
        return sentCrc.getValue();
    }

    long receivedCrc() {
        return receivedCrc.getValue();
    }

    long elapsedNanos() {
        return endNanos - startNanos;
    }

    @Override
    public String toString() {
        return "StreamingEchoClient(sent=" + sent + ", received=" + received + ", total=" + total + ")";
    }
}
