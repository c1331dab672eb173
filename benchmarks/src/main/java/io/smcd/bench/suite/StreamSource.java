package io.smcd.bench.suite;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.smcd.bench.common.StreamPattern;

/**
 * The writing end of a stream: while the channel is writable, writes and flushes one chunk of the
 * {@link StreamPattern} after the other, every byte of each chunk freshly stored (no buffer is sent twice). Resumed by
 * {@link #pump()} on {@code channelWritabilityChanged}; ends with {@link #stop()} or when the channel closes.
 *
 * <p>Not thread-safe: confined to the channel's event loop.
 */
final class StreamSource {
    private final Channel channel;
    private final StreamPattern pattern;
    private final int chunkSize;
    private long offset;
    private boolean stopped;

    StreamSource(Channel channel, StreamPattern pattern, int chunkSize) {
        this.channel = channel;
        this.pattern = pattern;
        this.chunkSize = chunkSize;
    }

    void pump() {
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
