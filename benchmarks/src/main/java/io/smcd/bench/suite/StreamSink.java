package io.smcd.bench.suite;

import io.netty.buffer.ByteBuf;
import io.smcd.bench.common.StreamPattern;

import java.io.StreamCorruptedException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * The receiving end of a stream: reads every byte it is given, checks it against the {@link StreamPattern} (every
 * stamp and the ends of each read, or every byte), and measures what arrives in its window, which opens
 * {@code warmupNanos} after the first byte. Once the window has closed it calls back once; it keeps reading and
 * checking until the connection ends.
 *
 * <p>Not thread-safe: confined to the channel's event loop.
 */
final class StreamSink {
    private final StreamPattern pattern;
    private final boolean fullVerify;
    private final long warmupNanos;
    private final long windowNanos;
    private final Consumer<StreamSink> windowClosed;

    private long offset;
    private long compared;
    private long firstByte = -1;
    private long windowStart = -1;
    private long windowStartOffset;
    private long windowBytes = -1;
    private long windowLength;

    StreamSink(StreamPattern pattern, boolean fullVerify, long warmupNanos, long windowNanos, Consumer<StreamSink> windowClosed) {
        this.pattern = pattern;
        this.fullVerify = fullVerify;
        this.warmupNanos = warmupNanos;
        this.windowNanos = windowNanos;
        this.windowClosed = windowClosed;
    }

    /** Takes and releases {@code in}. */
    void onData(ByteBuf in) throws StreamCorruptedException {
        try {
            int n = in.readableBytes();
            if (n == 0) {
                return;
            }
            long now = System.nanoTime();
            if (firstByte < 0) {
                firstByte = now;
            }
            if (windowStart < 0 && now - firstByte >= warmupNanos) {
                windowStart = now;
                windowStartOffset = offset;
            }
            ByteBuffer view = in.nioBufferCount() == 1 ? in.nioBuffer(in.readerIndex(), n) : copy(in, n);
            compared += pattern.verify(view, n, offset, fullVerify);
            offset += n;
            if (windowStart >= 0 && windowBytes < 0 && now - windowStart >= windowNanos) {
                windowBytes = offset - windowStartOffset;
                windowLength = now - windowStart;
                windowClosed.accept(this);
            }
        } finally {
            in.release();
        }
    }

    private static ByteBuffer copy(ByteBuf in, int n) {
        ByteBuffer copy = ByteBuffer.allocate(n);
        in.getBytes(in.readerIndex(), copy);
        return copy.clear();
    }

    /** Bytes read inside the window; -1 while it is open. */
    long windowBytes() {
        return windowBytes;
    }

    /** Length of the window in ns, from its first to its last read. */
    long windowNanos() {
        return windowLength;
    }

    /** Bytes compared with the pattern so far. */
    long comparedBytes() {
        return compared;
    }

    /** Bytes read so far. */
    long totalBytes() {
        return offset;
    }
}
