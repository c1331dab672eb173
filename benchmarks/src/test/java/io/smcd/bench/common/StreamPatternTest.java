package io.smcd.bench.common;

import org.junit.jupiter.api.Test;

import java.io.StreamCorruptedException;
import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamPatternTest {
    private static final int BLOCK = 4 * StreamPattern.STAMP_STRIDE;

    @Test
    void acceptsTheStreamReadInArbitraryPieces() throws Exception {
        StreamPattern pattern = new StreamPattern(BLOCK, 42);
        byte[] stream = stream(pattern, 5);
        for (boolean full : new boolean[] {false, true}) {
            long offset = 0;
            long compared = 0;
            int piece = 1;
            while (offset < stream.length) {
                int n = (int) Math.min(piece, stream.length - offset);
                ByteBuffer dst = ByteBuffer.allocateDirect(n).put(stream, (int) offset, n).clear();
                compared += pattern.verify(dst, n, offset, full);
                offset += n;
                piece = (piece * 3 + 7) % 9000;
            }
            assertEquals(stream.length, offset);
            if (full) {
                assertEquals(stream.length, compared);
            }
        }
    }

    @Test
    void fullCheckComparesEveryByte() throws Exception {
        StreamPattern pattern = new StreamPattern(BLOCK, 1);
        byte[] stream = stream(pattern, 2);
        ByteBuffer dst = ByteBuffer.allocateDirect(stream.length).put(stream).clear();
        assertEquals(stream.length, pattern.verify(dst, stream.length, 0, true));
    }

    @Test
    void rejectsDataOfAnEarlierLap() throws Exception {
        StreamPattern pattern = new StreamPattern(BLOCK, 7);
        byte[] stream = stream(pattern, 3);
        // What a reader would see if it read block 2's ring space before the writer refilled it: block 0.
        ByteBuffer stale = ByteBuffer.allocateDirect(BLOCK).put(stream, 0, BLOCK).clear();
        assertThrows(StreamCorruptedException.class, () -> pattern.verify(stale, BLOCK, 2L * BLOCK, false));
    }

    @Test
    void fullCheckFindsOneFlippedByteThatSamplingMisses() throws Exception {
        StreamPattern pattern = new StreamPattern(BLOCK, 9);
        byte[] stream = stream(pattern, 1);
        stream[100] ^= 1;
        ByteBuffer dst = ByteBuffer.allocateDirect(BLOCK).put(stream).clear();
        pattern.verify(dst, BLOCK, 0, false);
        StreamCorruptedException e = assertThrows(StreamCorruptedException.class, () -> pattern.verify(dst, BLOCK, 0, true));
        assertEquals(true, e.getMessage().contains("offset=100 "), e.getMessage());
    }

    @Test
    void fillWritesTheStreamInPiecesOfAnySize() throws Exception {
        StreamPattern pattern = new StreamPattern(BLOCK, 11);
        byte[] stream = stream(pattern, 6);
        long offset = 0;
        int piece = 3;
        while (offset < stream.length) {
            int n = (int) Math.min(piece, stream.length - offset);
            ByteBuffer dst = ByteBuffer.allocateDirect(n + 5);
            pattern.fill(dst, 5, offset, n);
            for (int i = 0; i < n; i++) {
                assertEquals(stream[(int) offset + i], dst.get(5 + i), "offset=" + (offset + i));
            }
            assertEquals(n, pattern.verify(dst.slice(5, n), n, offset, true));
            offset += n;
            piece = (piece * 7 + 5) % 20000;
        }
    }

    @Test
    void aRestampedPieceOneCycleLaterIsTheStreamThere() throws Exception {
        StreamPattern pattern = new StreamPattern(3 * StreamPattern.STAMP_STRIDE, 13);
        int piece = 5000;
        int cycle = pattern.cycle(piece);
        assertEquals(3 * StreamPattern.STAMP_STRIDE / 8, cycle);
        ByteBuffer reused = ByteBuffer.allocateDirect(piece);
        ByteBuffer filled = ByteBuffer.allocateDirect(piece);
        for (int i = 0; i < 3; i++) {
            long offset = (7L + (long) i * cycle) * piece;
            if (i == 0) {
                pattern.fill(reused, 0, offset, piece);
            } else {
                pattern.restamp(reused, 0, offset, piece);
            }
            pattern.fill(filled, 0, offset, piece);
            assertEquals(-1, reused.mismatch(filled), "piece at offset=" + offset);
            assertEquals(piece, pattern.verify(reused, piece, offset, true));
        }
        // Not restamped, the piece is an earlier one's, which the check refuses.
        assertThrows(StreamCorruptedException.class, () -> pattern.verify(reused, piece, (7L + 3L * cycle) * piece, false));
    }

    @Test
    void aFittedBlockRepeatsSoonAndNoPowerOfTwoRingHoldsWholeBlocks() {
        assertEquals(512_000, StreamPattern.blockFor(64000));
        assertEquals(3 * 131072, StreamPattern.blockFor(131072));
        assertEquals(102_400, StreamPattern.blockFor(100));
        assertEquals(3 * StreamPattern.STAMP_STRIDE, StreamPattern.blockFor(1024));
        for (int piece : new int[] {1, 100, 1024, 4096, 5000, 64000, 65536, 131072, 1 << 20}) {
            int block = StreamPattern.blockFor(piece);
            assertEquals(0, block % StreamPattern.STAMP_STRIDE, "piece=" + piece);
            assertEquals(0, block % piece, "piece=" + piece);
            assertEquals(block / piece, new StreamPattern(block, 1).cycle(piece), "piece=" + piece);
            for (long ring = 1 << 14; ring <= 1L << 30; ring <<= 1) {
                assertTrue(ring % block != 0, "piece=" + piece + " ring=" + ring);
            }
        }
        // An odd piece length would need a block of 4096 pieces: the fixed block instead.
        assertEquals(33 * StreamPattern.STAMP_STRIDE, StreamPattern.blockFor(64001));
        assertThrows(IllegalArgumentException.class, () -> StreamPattern.blockFor(0));
    }

    /** The first {@code blocks} blocks of the stream, as the sender produces them. */
    private static byte[] stream(StreamPattern pattern, int blocks) {
        ByteBuffer block = pattern.newBlock();
        byte[] stream = new byte[blocks * BLOCK];
        for (int b = 0; b < blocks; b++) {
            pattern.stamp(block, b);
            block.get(0, stream, b * BLOCK, BLOCK);
        }
        return stream;
    }
}
