package io.smcd.bench.common;

import java.io.StreamCorruptedException;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * The content of a throughput stream, known to both sides so that the receiver can check what it read.
 * The sender writes one block buffer over and over: random bytes from a shared seed, with an 8-byte
 * <em>stamp</em> at every {@value #STAMP_STRIDE}-byte boundary of the stream that encodes the block's
 * index. Stamps change on every block, so data left over from an earlier lap of the ring (which holds the
 * same random bytes at the same place) is told apart from fresh data; they cost the sender a few stores
 * per block. Stamps are big-endian, like {@link ByteBuffer}'s default order.
 *
 * <p>Immutable apart from the buffers it hands out; thread-safe.
 */
public final class StreamPattern {
    /** Distance between two stamps; a block length must be a multiple of it. */
    public static final int STAMP_STRIDE = 4096;
    private static final int STAMP_LENGTH = Long.BYTES;
    private static final int MAX_FITTED_BLOCK = 4 << 20;

    private final int blockLength;
    private final long salt;
    private final byte[] bytes;
    private final ByteBuffer reference;

    /**
     * The block length for a stream written in pieces of {@code pieceLength} bytes: the shortest multiple of both the
     * stamp stride and the piece length, times 3 if that is a power of two. A sender can then reuse its pieces after a
     * short {@link #cycle}, and no power-of-two ring holds a whole number of blocks, so data left from an earlier lap
     * differs from fresh data in its random bytes, not only in the stamps. Where that exceeds
     * {@value #MAX_FITTED_BLOCK} bytes (piece lengths with a large odd factor), a fixed block of 33 stamp strides.
     */
    public static int blockFor(int pieceLength) {
        if (pieceLength <= 0) {
            throw new IllegalArgumentException("pieceLength=" + pieceLength + " must be > 0");
        }
        long block = (long) pieceLength / gcd(pieceLength, STAMP_STRIDE) * STAMP_STRIDE;
        if (Long.bitCount(block) == 1) {
            block *= 3;
        }
        return block <= MAX_FITTED_BLOCK ? (int) block : 33 * STAMP_STRIDE;
    }

    public StreamPattern(int blockLength, long seed) {
        if (blockLength <= 0 || blockLength % STAMP_STRIDE != 0) {
            throw new IllegalArgumentException("blockLength=" + blockLength + " is not a positive multiple of " + STAMP_STRIDE);
        }
        this.blockLength = blockLength;
        SplittableRandom random = new SplittableRandom(seed);
        this.salt = random.nextLong();
        this.bytes = new byte[blockLength];
        for (int i = 0; i < blockLength; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        this.reference = ByteBuffer.allocateDirect(blockLength).put(bytes).clear().asReadOnlyBuffer();
    }

    /** A new direct buffer holding one block of the pattern, stamps not yet written. */
    public ByteBuffer newBlock() {
        return ByteBuffer.allocateDirect(blockLength).put(bytes).clear();
    }

    /** Writes the stamps of block {@code blockIndex} into {@code block}, a buffer from {@link #newBlock()}. */
    public void stamp(ByteBuffer block, long blockIndex) {
        int stampsPerBlock = blockLength / STAMP_STRIDE;
        for (int k = 0; k < stampsPerBlock; k++) {
            block.putLong(k * STAMP_STRIDE, stampAt(blockIndex * stampsPerBlock + k));
        }
    }

    /**
     * Writes the stream's bytes from {@code streamOffset} to {@code streamOffset + length} into {@code dst} at
     * index {@code at}, stamps included: what a sender that writes in pieces of any size puts on the wire. Every
     * byte of the range is stored; {@link #restamp} makes a filled range into a later one for less.
     */
    public void fill(ByteBuffer dst, int at, long streamOffset, int length) {
        int done = 0;
        while (done < length) {
            int from = (int) ((streamOffset + done) % blockLength);
            int n = Math.min(length - done, blockLength - from);
            dst.put(at + done, bytes, from, n);
            done += n;
        }
        restamp(dst, at, streamOffset, length);
    }

    /**
     * How many consecutive pieces of {@code pieceLength} bytes the stream's random bytes take to repeat: piece
     * {@code i + cycle} holds piece {@code i}'s bytes but for the stamps.
     */
    public int cycle(int pieceLength) {
        return blockLength / gcd(blockLength, pieceLength);
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int r = a % b;
            a = b;
            b = r;
        }
        return a;
    }

    /**
     * Writes the stamps of the stream's range from {@code streamOffset} (length {@code length}) into {@code dst} at
     * {@code at}, where {@link #fill} put a range whose offset differs from it by a multiple of the block length:
     * the range then holds the stream's bytes from {@code streamOffset}, after a few stores per stamp.
     */
    public void restamp(ByteBuffer dst, int at, long streamOffset, int length) {
        long end = streamOffset + length;
        for (long stamp = streamOffset - Math.floorMod(streamOffset, STAMP_STRIDE); stamp < end; stamp += STAMP_STRIDE) {
            if (stamp >= streamOffset && stamp + STAMP_LENGTH <= end) {
                dst.putLong(at + (int) (stamp - streamOffset), stampAt(stamp / STAMP_STRIDE));
            } else {
                for (long p = Math.max(stamp, streamOffset); p < Math.min(stamp + STAMP_LENGTH, end); p++) {
                    dst.put(at + (int) (p - streamOffset), expectedByte(p));
                }
            }
        }
    }

    /**
     * Checks the first {@code length} bytes of {@code dst} (from index 0), which the receiver read from
     * stream offset {@code streamOffset}. Sampled: every stamp byte in the range and its first and last
     * byte; full: every byte. Returns the number of bytes compared.
     *
     * @throws StreamCorruptedException at the first byte that differs, naming its stream offset
     */
    public long verify(ByteBuffer dst, int length, long streamOffset, boolean full) throws StreamCorruptedException {
        if (length <= 0) {
            return 0;
        }
        long end = streamOffset + length;
        long compared = 0;
        for (long stamp = streamOffset - Math.floorMod(streamOffset, STAMP_STRIDE); stamp < end; stamp += STAMP_STRIDE) {
            long from = Math.max(stamp, streamOffset);
            long to = Math.min(stamp + STAMP_LENGTH, end);
            if (from == stamp && to == stamp + STAMP_LENGTH) {
                if (dst.getLong((int) (stamp - streamOffset)) != stampAt(stamp / STAMP_STRIDE)) {
                    // Big-endian like expectedByte, so some byte differs and is named.
                    checkBytes(dst, from, to, streamOffset);
                }
                compared += STAMP_LENGTH;
            } else if (from < to) {
                checkBytes(dst, from, to, streamOffset);
                compared += to - from;
            }
            if (full) {
                compared += verifyPatternRun(dst, Math.max(stamp + STAMP_LENGTH, streamOffset),
                        Math.min(stamp + STAMP_STRIDE, end), streamOffset);
            }
        }
        if (!full) {
            checkByte(dst, streamOffset, streamOffset);
            checkByte(dst, end - 1, streamOffset);
            compared += 2;
        }
        return compared;
    }

    /** The byte the sender wrote at stream offset {@code p}. */
    public byte expectedByte(long p) {
        int inStride = (int) (p % STAMP_STRIDE);
        if (inStride < STAMP_LENGTH) {
            long stamp = stampAt(p / STAMP_STRIDE);
            return (byte) (stamp >>> (8 * (STAMP_LENGTH - 1 - inStride)));
        }
        return bytes[(int) (p % blockLength)];
    }

    /** The stamp at the {@code n}-th stamp position of the stream: distinct for every n, not guessable from the ring. */
    private long stampAt(long n) {
        return (n * 0x9E37_79B9_7F4A_7C15L) ^ salt;
    }

    private long verifyPatternRun(ByteBuffer dst, long from, long to, long streamOffset) throws StreamCorruptedException {
        if (from >= to) {
            return 0;
        }
        int length = (int) (to - from);
        int at = (int) (from - streamOffset);
        int patternAt = (int) (from % blockLength);
        int mismatch = dst.slice(at, length).mismatch(reference.slice(patternAt, length));
        if (mismatch >= 0) {
            throw corrupted(dst, from + mismatch, streamOffset);
        }
        return length;
    }

    private void checkBytes(ByteBuffer dst, long from, long to, long streamOffset) throws StreamCorruptedException {
        for (long p = from; p < to; p++) {
            checkByte(dst, p, streamOffset);
        }
    }

    private void checkByte(ByteBuffer dst, long p, long streamOffset) throws StreamCorruptedException {
        if (dst.get((int) (p - streamOffset)) != expectedByte(p)) {
            throw corrupted(dst, p, streamOffset);
        }
    }

    private StreamCorruptedException corrupted(ByteBuffer dst, long p, long streamOffset) {
        return new StreamCorruptedException(String.format("stream byte at offset=%d is 0x%02x, expected 0x%02x (read started at offset=%d)",
                p, dst.get((int) (p - streamOffset)) & 0xFF, expectedByte(p) & 0xFF, streamOffset));
    }
}
