package io.smcd.bench.suite;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.smcd.bench.common.StreamPattern;

/**
 * The writing end of a stream: while the channel is writable, writes and flushes one chunk of the
 * {@link StreamPattern} after the other, every byte of each chunk freshly stored (no buffer is sent twice). It sits
 * last in the pipeline, resumes on {@code channelWritabilityChanged} and ends with {@link #stop()} or when the channel
 * closes.
 *
 * <p>Not thread-safe: confined to the channel's event loop.
 */
final class StreamSource extends ChannelInboundHandlerAdapter {
    private final Channel channel;
    private final StreamPattern pattern;
    private final int chunkSize;
    private long offset;
    private boolean stopped;

    private StreamSource(Channel channel, StreamPattern pattern, int chunkSize) {
        this.channel = channel;
        this.pattern = pattern;
        this.chunkSize = chunkSize;
    }

    /** Adds a source to the end of {@code channel}'s pipeline and starts it; call on the channel's event loop. */
    static StreamSource start(Channel channel, StreamPattern pattern, int chunkSize) {
        StreamSource source = new StreamSource(channel, pattern, chunkSize);
        channel.pipeline().addLast(source);
        source.pump();
        return source;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            pump();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    private void pump() {
        while (!stopped && channel.isActive() && channel.isWritable()) {
            ByteBuf chunk = channel.alloc().directBuffer(chunkSize, chunkSize);
            pattern.fill(chunk.nioBuffer(0, chunkSize), 0, offset, chunkSize);
            chunk.writerIndex(chunkSize);
            offset += chunkSize;
            channel.writeAndFlush(chunk, channel.voidPromise());
        }
    }

    void stop() {
        stopped = true;
    }

    /** Bytes handed to the channel so far. */
    long offset() {
        return offset;
    }
}
