package io.smcd.bench.suite;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.smcd.bench.common.StreamPattern;
import java.util.ArrayList;
import java.util.List;

/**
 * The writing end of a stream: while the channel is writable, writes and flushes one chunk of the
 * {@link StreamPattern} after the other. Like iperf3 and sockperf, which send one pre-filled buffer, it does not store
 * every byte of every chunk where it can help it: the pattern's random bytes repeat every {@link StreamPattern#cycle}
 * chunks, so a chunk the transport has released (reference count back to this source's one) is sent again at the same
 * place of a later cycle after only its stamps are rewritten. It keeps its chunks by place in the cycle (phase),
 * several per phase when the channel holds more chunks than a cycle has (the water marks allow up to 1 MiB in flight,
 * 17 chunks of 64000 bytes), and fills a new one only when every chunk of the phase is still held. What goes on the
 * wire is the same either way. Chunks whose cycle spans more than {@value #MAX_REUSED_BYTES} bytes are filled afresh
 * every time. It sits last in the pipeline, resumes on {@code channelWritabilityChanged} and ends with {@link #stop()}
 * or when the channel closes.
 *
 * <p>Not thread-safe: confined to the channel's event loop.
 */
final class StreamSource extends ChannelInboundHandlerAdapter {
    private static final int MAX_REUSED_BYTES = 8 << 20;

    private final Channel channel;
    private final StreamPattern pattern;
    private final int chunkSize;
    /**
     * The chunks written so far, by phase (chunk index modulo the pattern's cycle), each holding one reference of this
     * source's; empty if chunks are not reused.
     */
    private final List<List<ByteBuf>> byPhase = new ArrayList<>();
    private long offset;
    private long chunksFilled;
    private boolean stopped;

    private StreamSource(Channel channel, StreamPattern pattern, int chunkSize) {
        this.channel = channel;
        this.pattern = pattern;
        this.chunkSize = chunkSize;
        int cycle = pattern.cycle(chunkSize);
        if ((long) cycle * chunkSize <= MAX_REUSED_BYTES) {
            for (int phase = 0; phase < cycle; phase++) {
                byPhase.add(new ArrayList<>(2));
            }
        }
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
     * The chunk to write at {@link #offset}, the caller's to hand over: one of its phase the transport is done with,
     * restamped, else a freshly filled one.
     */
    private ByteBuf nextChunk() {
        if (byPhase.isEmpty()) {
            return filledChunk();
        }
        List<ByteBuf> phase = byPhase.get((int) (offset / chunkSize % byPhase.size()));
        ByteBuf chunk = null;
        for (ByteBuf candidate : phase) {
            if (candidate.refCnt() == 1) {
                chunk = candidate;
                pattern.restamp(chunk.nioBuffer(0, chunkSize), 0, offset, chunkSize);
                break;
            }
        }
        if (chunk == null) {
            chunk = filledChunk();
            phase.add(chunk);
        }
        // This source keeps its own reference for a later cycle; the transport releases the duplicate's.
        return chunk.retainedDuplicate();
    }

    private ByteBuf filledChunk() {
        chunksFilled++;
        ByteBuf chunk = channel.alloc().directBuffer(chunkSize, chunkSize);
        pattern.fill(chunk.nioBuffer(0, chunkSize), 0, offset, chunkSize);
        return chunk.writerIndex(chunkSize);
    }

    /** Stops writing and gives up this source's references; chunks still queued in the channel stay valid. */
    void stop() {
        stopped = true;
        for (List<ByteBuf> phase : byPhase) {
            for (ByteBuf chunk : phase) {
                chunk.release();
            }
            phase.clear();
        }
    }

    /** Chunks that were filled with every byte of theirs rather than reused. */
    long chunksFilled() {
        return chunksFilled;
    }

    /** Bytes handed to the channel so far. */
    long offset() {
        return offset;
    }
}
