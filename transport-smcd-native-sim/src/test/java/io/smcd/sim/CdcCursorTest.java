package io.smcd.sim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CdcCursorTest {

    @Test
    void packsWrapAndCountIntoOneWord() {
        long cursor = CdcCursor.of(0xFFFF_FFFF, 0x7FFF_FFFF);
        assertEquals(0xFFFF_FFFF, CdcCursor.wrap(cursor));
        assertEquals(0x7FFF_FFFF, CdcCursor.count(cursor));
        assertEquals("ffffffff:7fffffff", CdcCursor.toString(cursor));
        assertEquals(0L, CdcCursor.of(0, 0));
    }

    /**
     * Exhaustive over small rings: every start position on the first laps and at the 32-bit wrap
     * rollover, every step from 0 to the ring size. add, diff and distance must agree with a model that
     * counts bytes on a 64-bit line.
     */
    @Test
    void addDiffAndDistanceAgreeWithALinearModelAtEveryRingEdge() {
        for (int ringSize : new int[] {1, 2, 3, 7, 16, 64}) {
            for (long startLap : new long[] {0, 1, 0xFFFF_FFFEL, 0xFFFF_FFFFL}) {
                for (int startCount = 0; startCount < ringSize; startCount++) {
                    long start = CdcCursor.of((int) startLap, startCount);
                    long startLinear = startLap * ringSize + startCount;
                    for (int n = 0; n <= ringSize; n++) {
                        long end = CdcCursor.add(ringSize, start, n);
                        long endLinear = startLinear + n;
                        String where = "ring=" + ringSize + " start=" + CdcCursor.toString(start) + " n=" + n;
                        assertEquals((int) (endLinear / ringSize), CdcCursor.wrap(end), where);
                        assertEquals((int) (endLinear % ringSize), CdcCursor.count(end), where);
                        assertEquals(n, CdcCursor.distance(ringSize, start, end), where);
                        assertEquals(n, CdcCursor.diff(ringSize, start, end), where);
                        if (n > 0) {
                            assertEquals(CdcCursor.IMPOSSIBLE, CdcCursor.distance(ringSize, end, start), where + " backwards");
                        }
                    }
                    long beyond = CdcCursor.add(ringSize, CdcCursor.add(ringSize, start, ringSize), 1 % ringSize);
                    if (ringSize > 1) {
                        assertEquals(CdcCursor.IMPOSSIBLE, CdcCursor.distance(ringSize, start, beyond),
                                "more than one lap ahead: ring=" + ringSize + " start=" + CdcCursor.toString(start));
                    }
                }
            }
        }
    }

    @Test
    void distanceRejectsCountsOutsideTheRing() {
        int ringSize = 16;
        assertEquals(CdcCursor.IMPOSSIBLE, CdcCursor.distance(ringSize, CdcCursor.of(0, 0), CdcCursor.of(0, 16)));
        assertEquals(CdcCursor.IMPOSSIBLE, CdcCursor.distance(ringSize, CdcCursor.of(0, 16), CdcCursor.of(0, 16)));
        assertEquals(CdcCursor.IMPOSSIBLE, CdcCursor.distance(ringSize, CdcCursor.of(0, 0), CdcCursor.of(0, -1)));
        assertEquals(CdcCursor.IMPOSSIBLE, CdcCursor.distance(ringSize, CdcCursor.of(0, 3), CdcCursor.of(2, 3)));
        assertEquals(CdcCursor.IMPOSSIBLE, CdcCursor.distance(ringSize, CdcCursor.of(5, 3), CdcCursor.of(4, 3)));
    }

    @Test
    void diffMatchesTheKernelsClampedDefinition() {
        int ringSize = 100;
        assertEquals(30, CdcCursor.diff(ringSize, CdcCursor.of(3, 90), CdcCursor.of(4, 20)));
        assertEquals(0, CdcCursor.diff(ringSize, CdcCursor.of(3, 50), CdcCursor.of(3, 40)));
        assertEquals(10, CdcCursor.diff(ringSize, CdcCursor.of(3, 40), CdcCursor.of(3, 50)));
    }

    @Test
    void sizeCodesRoundUpLikeTheKernel() {
        assertEquals(0, DmbSize.codeFor(1));
        assertEquals(0, DmbSize.codeFor(16 * 1024));
        assertEquals(1, DmbSize.codeFor(16 * 1024 + 1));
        assertEquals(6, DmbSize.codeFor(1024 * 1024));
        assertEquals(1024 * 1024, DmbSize.sizeOf(DmbSize.SMCD_MAX_CODE));
        assertEquals(512 * 1024 * 1024, DmbSize.sizeOf(DmbSize.MAX_CODE));
        for (int code = 0; code <= DmbSize.MAX_CODE; code++) {
            assertEquals(code, DmbSize.codeFor(DmbSize.sizeOf(code)));
        }
        assertThrows(IllegalArgumentException.class, () -> DmbSize.sizeOf(16));
        assertThrows(IllegalArgumentException.class, () -> DmbSize.codeFor(0));
        assertThrows(IllegalArgumentException.class, () -> DmbSize.codeFor(DmbSize.sizeOf(DmbSize.MAX_CODE) + 1));
    }
}
