package io.smcd.bench.suite;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.smcd.bench.common.StreamPattern;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * The client side of a stream over the server's data port. With {@code clientSends} (sockperf throughput) it writes
 * the stream and waits for the server's report of what its window received; otherwise (iperf3 -R) the server writes
 * and this side reads, checks and measures. Either way the figures are the receiver's.
 *
 * <p>One instance per connection; confined to its event loop.
 */
final class StreamClient extends ChannelInboundHandlerAdapter {
    /**
     * What the receiver measured.
     *
     * @param windowBytes   bytes read inside the window
     * @param windowNanos   length of the window
     * @param comparedBytes bytes compared with the pattern over the whole connection
     */
    record Measurement(long windowBytes, long windowNanos, long comparedBytes) {
        double megabytesPerSecond() {
            return windowBytes * 1e3 / windowNanos;
        }

        double gigabitsPerSecond() {
            return windowBytes * 8.0 / windowNanos;
        }
    }

    private final DataRequest request;
    private final StreamPattern pattern;
    private final CompletableFuture<Measurement> done = new CompletableFuture<>();
    private StreamSource source;
    private StreamSink sink;
    private ByteBuf report;

    StreamClient(boolean clientSends, int chunkSize, long seed, long warmupNanos, long windowNanos, boolean fullVerify) {
        this.request = new DataRequest(clientSends, chunkSize, seed, warmupNanos, windowNanos, fullVerify);
        this.pattern = request.pattern();
    }

    CompletableFuture<Measurement> done() {
        return done;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ByteBuf header = ctx.alloc().buffer(DataRequest.LENGTH);
        request.writeTo(header);
        ctx.writeAndFlush(header, ctx.voidPromise());
        if (request.serverSinks()) {
            report = ctx.alloc().heapBuffer(DataRequest.REPORT_LENGTH);
            source = StreamSource.start(ctx.channel(), pattern, request.chunkSize());
        } else {
            sink = new StreamSink(pattern, request.fullVerify(), request.warmupNanos(), request.windowNanos(), s -> {
                done.complete(new Measurement(s.windowBytes(), s.windowNanos(), s.comparedBytes()));
                ctx.close();
            });
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws IOException {
        ByteBuf in = (ByteBuf) msg;
        if (sink != null) {
            sink.onData(in);
            return;
        }
        try {
            if (report == null || done.isDone()) {
                return;
            }
            report.writeBytes(in, Math.min(in.readableBytes(), report.writableBytes()));
            if (report.readableBytes() == DataRequest.REPORT_LENGTH) {
                source.stop();
                done.complete(new Measurement(report.readLong(), report.readLong(), report.readLong()));
                ctx.close();
            }
        } finally {
            in.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (report != null) {
            report.release();
            report = null;
        }
        done.completeExceptionally(new IOException("data connection closed before the receiver's window ended"
                + (sink != null ? " (" + sink.totalBytes() + " bytes read)" : " (" + (source == null ? 0 : source.offset()) + " bytes written)")));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        done.completeExceptionally(cause);
        ctx.close();
    }
}
