package io.smcd.bench.suite;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.smcd.bench.common.StreamPattern;
import java.util.ArrayDeque;

/**
 * The writing end of a stream: while the channel is writable, writes and flushes one chunk of the
 * {@link StreamPattern} after the other. Like iperf3, which sends one pre-filled buffer, it does not store every byte
 * of every chunk where it can help it: it keeps the last {@link StreamPattern#cycle} chunks, and a chunk the transport
 * has released (reference count back to this source's one) is sent again as the chunk one cycle later, after only its
 * stamps are rewritten; a chunk still held by the transport is replaced by a freshly filled one. What goes on the wire
 * is the same either way. Chunks whose cycle spans more than {@value #MAX_REUSED_BYTES} bytes are filled afresh every
 * time: the 64000-byte chunks' cycle is 16.9 MB, no longer in the cache, and with them reused NIO's throughput was
 * about 10 % lower in an A/B (5.4-7.3 GB/s against 6.1-7.9, three pairs; within the noise, but in the direction the
 * cache predicts, so the baseline is not slowed to flatter the ratio); the 128 KiB chunks' 4.2 MiB cycle left NIO's
 * stream unchanged. It sits last in the pipeline, resumes on {@code channelWritabilityChanged} and ends with
 * {@link #stop()} or when the channel closes.
 *
 * <p>Not thread-safe: confined to the channel's event loop.
 */
final class StreamSource extends ChannelInboundHandlerAdapter {
    private static final int MAX_REUSED_BYTES = 8 << 20;

    private final Channel channel;
    private final StreamPattern pattern;
    private final int chunkSize;
    /** Chunks after which the pattern's bytes repeat, or 0 if chunks are not reused. */
    private final int cycle;
    /** The chunks of the last {@link #cycle} writes, oldest first; each holds one reference of this source's. */
    private final ArrayDeque<ByteBuf> sent = new ArrayDeque<>();
    private long offset;
    private boolean stopped;

    private StreamSource(Channel channel, StreamPattern pattern, int chunkSize) {
        this.channel = channel;
        this.pattern = pattern;
        this.chunkSize = chunkSize;
        int chunks = pattern.cycle(chunkSize);
        this.cycle = (long) chunks * chunkSize <= MAX_REUSED_BYTES ? chunks : 0;
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
            ByteBuf chunk = nextChunk();
            offset += chunkSize;
            channel.writeAndFlush(chunk, channel.voidPromise());
        }
    }

    /**
     * The chunk to write at {@link #offset}, the caller's to hand over: the one sent a cycle ago, restamped, if the
     * transport is done with it, else a freshly filled one.
     */
    private ByteBuf nextChunk() {
        ByteBuf chunk = null;
        if (cycle > 0 && sent.size() == cycle) {
            ByteBuf oldest = sent.poll();
            if (oldest.refCnt() == 1) {
                chunk = oldest;
                pattern.restamp(chunk.nioBuffer(0, chunkSize), 0, offset, chunkSize);
            } else {
                oldest.release();
            }
        }
        if (chunk == null) {
            chunk = channel.alloc().directBuffer(chunkSize, chunkSize);
            pattern.fill(chunk.nioBuffer(0, chunkSize), 0, offset, chunkSize);
            chunk.writerIndex(chunkSize);
        }
        if (cycle == 0) {
            return chunk;
        }
        sent.add(chunk);
        // This source keeps its own reference for the next cycle; the transport releases the duplicate's.
        return chunk.retainedDuplicate();
    }

    /** Stops writing and gives up this source's references; chunks still queued in the channel stay valid. */
    void stop() {
        stopped = true;
        for (ByteBuf chunk : sent) {
            chunk.release();
        }
        sent.clear();
    }

    /** Bytes handed to the channel so far. */
    long offset() {
        return offset;
    }
}
