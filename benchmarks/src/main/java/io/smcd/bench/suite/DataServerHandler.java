package io.smcd.bench.suite;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.smcd.bench.common.StreamPattern;

/**
 * The server's data port: reads a {@link DataRequest}, then either reads and checks the client's stream, answering
 * with a {@link DataRequest#REPORT_LENGTH}-byte report when its window has closed, or writes a stream to the client
 * until the client closes the connection.
 *
 * <p>One instance per connection; confined to its event loop.
 */
final class DataServerHandler extends ChannelInboundHandlerAdapter {
    private ByteBuf header;
    private StreamSink sink;
    private StreamSource source;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        ByteBuf in = (ByteBuf) msg;
        if (sink != null) {
            sink.onData(in);
            return;
        }
        if (source != null) {
            in.release();
            return;
        }
        if (header == null) {
            header = ctx.alloc().heapBuffer(DataRequest.LENGTH);
        }
        header.writeBytes(in, Math.min(in.readableBytes(), DataRequest.LENGTH - header.readableBytes()));
        if (header.readableBytes() < DataRequest.LENGTH) {
            in.release();
            return;
        }
        DataRequest request = DataRequest.readFrom(header);
        header.release();
        header = null;
        StreamPattern pattern = request.pattern();
        if (request.serverSinks()) {
            sink = new StreamSink(pattern, request.fullVerify(), request.warmupNanos(), request.windowNanos(), done -> {
                ByteBuf report = ctx.alloc().buffer(DataRequest.REPORT_LENGTH);
                report.writeLong(done.windowBytes()).writeLong(done.windowNanos()).writeLong(done.comparedBytes());
                ctx.writeAndFlush(report, ctx.voidPromise());
            });
            sink.onData(in);
        } else {
            in.release();
            source = StreamSource.start(ctx.channel(), pattern, request.chunkSize());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (header != null) {
            header.release();
            header = null;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof java.io.StreamCorruptedException || !(cause instanceof java.io.IOException)) {
            // A corrupted stream is a benchmark failure: say so on the server's stderr; the client sees the close.
            System.err.println("suite server: data connection failed: " + cause);
        }
        ctx.close();
    }
}
