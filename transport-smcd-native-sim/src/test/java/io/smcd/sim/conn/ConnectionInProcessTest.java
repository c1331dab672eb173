package io.smcd.sim.conn;

import io.smcd.sim.CdcCursor;
import io.smcd.sim.CdcDescriptor;
import io.smcd.sim.CdcFlags;
import io.smcd.sim.CdcProtocolException;
import io.smcd.sim.DmbDescriptor;
import io.smcd.sim.DmbSize;
import io.smcd.sim.SharedWords;
import io.smcd.sim.SmcdConnection;
import io.smcd.sim.SmcdException;
import io.smcd.sim.SmcdReason;
import io.smcd.sim.testing.TestDomain;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The connection core with both sides in this JVM and one thread, so every step is deterministic: data
 * both ways on both devices, flow control and {@code writeBlocked}, gathering writes, end of stream,
 * graceful close and abort, the doorbell's exact ring count, and the validation of every value a peer
 * can forge in its CDC block.
 */
@Timeout(120)
class ConnectionInProcessTest {
    private static final int RING = DmbSize.MIN_SIZE;

    static Stream<String> devices() {
        return Devices.ALL.stream();
    }

    @ParameterizedTest
    @MethodSource("devices")
    void bytesWrittenOnOneSideLandInThePeersRingAndAreReadThereInBothDirections(String device) throws Exception {
        try (TestDomain test = TestDomain.create()) {
            try (ConnectionPair pair = ConnectionPair.open(test.domain(), device, RING)) {
                assertEquals(List.of(), test.leftoverFiles(), "attaching unlinks both DMB files");
                assertEquals(device.equals(Devices.LOOPBACK), pair.a.device().supportsNocopy());
                assertEquals(RING, pair.a.writableBytes());
                assertEquals(0, pair.b.readableBytes());
                assertEquals(0, pair.b.read(ByteBuffer.allocate(16)), "nothing written yet, not end of stream");

                ByteBuffer hello = ascii("hello, smc-d");
                assertEquals(12, pair.a.write(hello));
                assertFalse(hello.hasRemaining());
                assertEquals(RING - 12, pair.a.writableBytes());
                assertEquals(12, pair.b.readableBytes());
                // The bytes sit in B's ring and the cursor in B's CDC block, where the layout says.
                ByteBuffer bRing = pair.b.rmb().buffer();
                for (int i = 0; i < 12; i++) {
                    assertEquals("hello, smc-d".charAt(i), (char) bRing.get(DmbDescriptor.RING_OFFSET + i));
                }
                assertEquals(CdcCursor.of(0, 12), SharedWords.getAcquire(bRing, CdcDescriptor.PROD_CURSOR_OFFSET));

                ByteBuffer small = ByteBuffer.allocate(5);
                assertEquals(5, pair.b.read(small));
                assertEquals("hello", string(small.flip()));
                assertEquals(CdcCursor.of(0, 5), SharedWords.getAcquire(pair.a.rmb().buffer(), CdcDescriptor.CONS_CURSOR_OFFSET),
                        "B publishes its consumer cursor into A's DMB after each read");
                ByteBuffer rest = ByteBuffer.allocateDirect(64);
                assertEquals(7, pair.b.read(rest));
                assertEquals(", smc-d", string(rest.flip()));
                assertEquals(0, pair.b.read(ByteBuffer.allocate(64)));
                assertEquals(RING, pair.a.writableBytes(), "all space is free again once B consumed it");

                ByteBuffer reply = ByteBuffer.allocateDirect(3).put(new byte[] {1, 2, 3}).flip();
                assertEquals(3, pair.b.write(reply));
                ByteBuffer got = ByteBuffer.allocate(3);
                assertEquals(3, pair.a.read(got));
                assertArrayEquals(new byte[] {1, 2, 3}, got.array());

                ByteBuffer empty = ByteBuffer.allocate(0);
                assertEquals(0, pair.a.write(empty));
                assertFalse(pair.a.isWriteBlocked(), "an empty write finds no full ring");
                assertEquals(0, pair.ringsOfA.get() + pair.ringsOfB.get(), "nobody slept, nobody was rung");
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void aFullRingReturnsZeroAndBlocksTheWriterUntilTheReaderFreesSpace(String device) throws Exception {
        try (TestDomain test = TestDomain.create()) {
            try (ConnectionPair pair = ConnectionPair.open(test.domain(), device, RING)) {
                ByteBuffer data = streamBytes(7, RING + 100);
                assertEquals(RING, pair.a.write(data), "a write takes what fits");
                assertFalse(pair.a.isWriteBlocked(), "it accepted bytes, so it is not blocked yet");
                assertEquals(0, pair.a.writableBytes());
                assertEquals(100, data.remaining());

                assertEquals(0, pair.a.write(data), "a full ring is a return value");
                assertTrue(pair.a.isWriteBlocked());
                assertEquals(100, data.remaining());
                assertTrue((pair.b.peerFlags() & CdcFlags.WRITE_BLOCKED) != 0, "B sees writeBlocked in its DMB");
                assertEquals(0, pair.a.write(new ByteBuffer[] {ByteBuffer.allocate(1), data}, 0, 2));
                assertTrue(pair.a.isWriteBlocked());

                XorShiftStream expected = new XorShiftStream(7);
                ByteBuffer dst = ByteBuffer.allocateDirect(RING + 100);
                assertEquals(1000, pair.b.read(dst.limit(1000)));
                expected.verify(dst, 0, 1000, "first 1000 bytes");
                assertEquals(1000, pair.a.writableBytes());
                assertTrue(pair.a.isWriteBlocked(), "blocked until a write succeeds");

                assertEquals(100, pair.a.write(data));
                assertFalse(pair.a.isWriteBlocked());
                assertEquals(0, pair.b.peerFlags() & CdcFlags.WRITE_BLOCKED, "writeBlocked is withdrawn with the next publish");
                assertEquals(900, pair.a.writableBytes());

                dst.clear();
                assertEquals(RING - 1000 + 100, pair.b.read(dst));
                expected.verify(dst, 0, RING - 900, "the rest, across the end of the ring");
                assertEquals(RING, pair.a.writableBytes());
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void aWriterThatFilledTheRingExactlyAndSleepsIsRungWhenTheReaderDrains(String device) throws Exception {
        try (TestDomain test = TestDomain.create()) {
            try (ConnectionPair pair = ConnectionPair.open(test.domain(), device, RING)) {
                assertEquals(RING, pair.a.write(streamBytes(3, RING)), "the write fills the ring exactly");
                assertFalse(pair.a.isWriteBlocked(), "no write came back empty");
                pair.a.announceWriteBlocked();
                assertTrue((pair.b.peerFlags() & CdcFlags.WRITE_BLOCKED) != 0, "B sees that A waits for space");
                assertTrue(pair.a.prepareToSleep(), "no space yet: A may sleep");

                assertEquals(RING, pair.b.read(ByteBuffer.allocateDirect(RING)));
                assertEquals(1, pair.ringsOfA.get(), "draining the ring wakes the sleeping writer exactly once");
                assertTrue(pair.a.hasPendingWork(), "A finds the space when it wakes");
                pair.a.wakeUp();
                assertEquals(5, pair.a.write(streamBytes(4, 5)));
                assertFalse(pair.a.isWriteBlocked(), "the next published write withdraws the announcement");
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void aGatheringWriteTakesItsBuffersInOrderAndStopsWhereTheRingIsFull(String device) throws Exception {
        try (TestDomain test = TestDomain.create()) {
            try (ConnectionPair pair = ConnectionPair.open(test.domain(), device, RING)) {
                ByteBuffer skipped = ascii("not this");
                ByteBuffer[] srcs = {skipped, ByteBuffer.allocate(0), direct("defgh"), ascii("ij")};
                assertEquals(7, pair.a.write(srcs, 1, 3));
                assertEquals(0, skipped.position(), "buffers before offset are untouched");
                assertFalse(srcs[2].hasRemaining());
                assertFalse(srcs[3].hasRemaining());
                assertEquals("defghij", readString(pair.b, 7));

                ByteBuffer[] empties = {ByteBuffer.allocate(0), ByteBuffer.allocateDirect(0)};
                assertEquals(0, pair.a.write(empties, 0, 2));
                assertFalse(pair.a.isWriteBlocked(), "nothing to write is not a full ring");

                assertEquals(RING - 5, pair.a.write(ByteBuffer.allocate(RING - 5)));
                ByteBuffer first = ascii("abc");
                ByteBuffer second = direct("defg");
                ByteBuffer third = ascii("hi");
                ByteBuffer[] parts = {first, second, third};
                assertEquals(5, pair.a.write(parts, 0, 3), "only 5 bytes of room");
                assertFalse(first.hasRemaining());
                assertEquals(2, second.position());
                assertEquals(0, third.position());
                assertEquals(0, pair.a.write(parts, 0, 3));
                assertTrue(pair.a.isWriteBlocked());

                assertEquals(RING - 5, pair.b.read(ByteBuffer.allocate(RING - 5)));
                assertEquals("abcde", readString(pair.b, 5));
                assertEquals(4, pair.a.write(parts, 0, 3), "the rest, wrapping around the ring's end");
                assertFalse(pair.a.isWriteBlocked());
                assertEquals("fghi", readString(pair.b, 4));
                assertEquals(0, pair.b.readableBytes());
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void readReturnsMinusOneAfterShutdownOutputOnceEveryByteWasReadAndTheOtherDirectionStaysOpen(String device) throws Exception {
        try (TestDomain test = TestDomain.create()) {
            try (ConnectionPair pair = ConnectionPair.open(test.domain(), device, RING)) {
                assertEquals(100, pair.a.write(streamBytes(11, 100)));
                pair.a.shutdownOutput();
                assertTrue((pair.b.peerFlags() & CdcFlags.PEER_DONE_WRITING) != 0);
                XorShiftStream expected = new XorShiftStream(11);
                ByteBuffer dst = ByteBuffer.allocate(60);
                assertEquals(60, pair.b.read(dst), "data published before the shutdown still arrives");
                expected.verify(dst, 0, 60, "");
                dst.clear();
                assertEquals(40, pair.b.read(dst));
                expected.verify(dst, 0, 40, "");
                assertEquals(-1, pair.b.read(dst.clear()));
                assertEquals(-1, pair.b.read(dst.clear()), "end of stream stays");
                assertEquals(0, pair.b.readableBytes());

                assertEquals(5, pair.b.write(ascii("reply")), "half-closed: B still writes");
                assertEquals("reply", readString(pair.a, 5));
                assertEquals(0, pair.a.read(ByteBuffer.allocate(8)), "B has not shut down");
                pair.b.shutdownOutput();
                assertEquals(-1, pair.a.read(ByteBuffer.allocate(8)));
            }
            try (ConnectionPair pair = ConnectionPair.open(test.domain(), device, RING)) {
                pair.a.shutdownOutput();
                assertEquals(-1, pair.b.read(ByteBuffer.allocate(8)), "an empty stream ends at once");
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void closingWithUnreadDataAbortsThePeerWhoseReadsFailOnceDrainedAndWhoseWritesFail(String device) throws Exception {
        try (TestDomain test = TestDomain.create()) {
            try (ConnectionPair pair = ConnectionPair.open(test.domain(), device, RING)) {
                assertEquals(300, pair.a.write(streamBytes(21, 300)));
                assertEquals(50, pair.b.write(ascii("x".repeat(50))));
                pair.a.close();
                assertTrue(pair.a.isClosed());
                assertTrue((pair.b.peerFlags() & CdcFlags.PEER_CONN_ABORT) != 0, "A left 50 bytes unread, so it aborted");

                ByteBuffer dst = ByteBuffer.allocate(1000);
                assertEquals(300, pair.b.read(dst), "what A had published still arrives");
                new XorShiftStream(21).verify(dst, 0, 300, "");
                assertPeerAbort(() -> pair.b.read(ByteBuffer.allocate(10)));
                assertPeerAbort(pair.b::readableBytes);
                assertPeerAbort(() -> pair.b.write(ascii("more")));
                assertPeerAbort(() -> pair.b.write(new ByteBuffer[] {ascii("more")}, 0, 1));
                assertThrows(IllegalStateException.class, () -> pair.a.read(ByteBuffer.allocate(1)), "A is closed");
                assertThrows(IllegalStateException.class, () -> pair.a.write(ascii("x")));
            }
            try (ConnectionPair pair = ConnectionPair.open(test.domain(), device, RING)) {
                pair.b.abort();
                assertPeerAbort(() -> pair.a.read(ByteBuffer.allocate(10)));
                assertPeerAbort(() -> pair.a.write(ascii("x")));
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void aGracefulCloseDeliversEveryByteThenEndOfStreamAndLaterWritesFail(String device) throws Exception {
        try (TestDomain test = TestDomain.create()) {
            try (ConnectionPair pair = ConnectionPair.open(test.domain(), device, RING)) {
                assertEquals(RING, pair.a.write(streamBytes(31, RING)));
                pair.a.close();
                long flags = pair.b.peerFlags();
                assertTrue((flags & CdcFlags.PEER_CONN_CLOSED) != 0, CdcFlags.toString(flags));
                assertEquals(0, flags & CdcFlags.PEER_CONN_ABORT, "nothing was left unread on A: no abort");

                XorShiftStream expected = new XorShiftStream(31);
                ByteBuffer dst = ByteBuffer.allocate(1000);
                long total = 0;
                int n;
                while ((n = pair.b.read(dst.clear())) > 0) {
                    expected.verify(dst, 0, n, "after A closed");
                    total += n;
                }
                assertEquals(-1, n);
                assertEquals(RING, total, "every byte A wrote before closing");
                assertEquals(-1, pair.b.read(dst.clear()));

                assertPeerAbort(() -> pair.b.write(ascii("late")));
                assertPeerAbort(() -> pair.b.write(new ByteBuffer[] {ascii("late")}, 0, 1));
                assertPeerAbort(pair.b::writableBytes);
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void theDoorbellRingsOncePerSleepAndOnlyForWhatTheSleeperWaitsFor(String device) throws Exception {
        try (TestDomain test = TestDomain.create()) {
            try (ConnectionPair pair = ConnectionPair.open(test.domain(), device, RING)) {
                assertEquals(100, pair.a.write(ByteBuffer.allocate(100)));
                assertEquals(100, pair.b.read(ByteBuffer.allocate(100)));
                assertRings(pair, 0, 0, "nobody sleeps");

                assertTrue(pair.b.prepareToSleep(), "nothing pending for B");
                assertRings(pair, 0, 0, "arming does not ring");
                assertEquals(10, pair.a.write(ByteBuffer.allocate(10)));
                assertRings(pair, 0, 1, "data for a sleeping B");
                assertEquals(10, pair.a.write(ByteBuffer.allocate(10)));
                assertRings(pair, 0, 1, "one ring per sleep");
                assertTrue(pair.b.hasPendingWork());
                pair.b.wakeUp();
                assertEquals(20, pair.b.read(ByteBuffer.allocate(100)));
                assertEquals(5, pair.a.write(ByteBuffer.allocate(5)));
                assertRings(pair, 0, 1, "B is awake");
                assertEquals(5, pair.b.read(ByteBuffer.allocate(100)));

                assertTrue(pair.b.prepareToSleep());
                pair.a.shutdownOutput();
                assertRings(pair, 0, 2, "peerDoneWriting for a sleeping B");
                pair.b.wakeUp();
                assertEquals(-1, pair.b.read(ByteBuffer.allocate(1)));

                assertEquals(RING, pair.b.write(ByteBuffer.allocate(RING + 1)));
                assertEquals(0, pair.b.write(ByteBuffer.allocate(1)));
                assertTrue(pair.b.isWriteBlocked());
                assertFalse(pair.b.prepareToSleep(), "A's shutdown is still news to B's sleep check");
                pair.b.wakeUp();
                assertTrue(pair.b.prepareToSleep(), "blocked with no space: B may sleep");
                assertRings(pair, 0, 2, "");
                assertEquals(1, pair.a.read(ByteBuffer.allocate(1)));
                assertRings(pair, 0, 3, "space for a blocked, sleeping B");
                assertEquals(1, pair.a.read(ByteBuffer.allocate(1)));
                assertRings(pair, 0, 3, "one ring per sleep");
                assertTrue(pair.b.hasPendingWork());
                pair.b.wakeUp();
                assertEquals(2, pair.b.write(ByteBuffer.allocate(2)));
                assertEquals(RING, pair.a.read(ByteBuffer.allocate(RING)));
                assertRings(pair, 0, 3, "B is awake");
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void nobodyIsRungWhenNobodySleepsEvenWhenWritersBlock(String device) throws Exception {
        try (TestDomain test = TestDomain.create()) {
            try (ConnectionPair pair = ConnectionPair.open(test.domain(), device, RING)) {
                ByteBuffer buffer = ByteBuffer.allocateDirect(3 * RING);
                for (int round = 0; round < 50; round++) {
                    for (SmcdConnection[] direction : new SmcdConnection[][] {{pair.a, pair.b}, {pair.b, pair.a}}) {
                        buffer.clear();
                        assertEquals(RING, direction[0].write(buffer));
                        assertEquals(0, direction[0].write(buffer));
                        assertTrue(direction[0].isWriteBlocked());
                        assertEquals(RING / 2, direction[1].read(ByteBuffer.allocate(RING / 2)));
                        assertEquals(RING / 2, direction[0].write(buffer));
                        assertEquals(RING, direction[1].read(ByteBuffer.allocate(2 * RING)));
                    }
                }
                pair.a.shutdownOutput();
                pair.b.shutdownOutput();
                assertRings(pair, 0, 0, "");
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void prepareToSleepRefusesWhileWorkIsPending(String device) throws Exception {
        try (TestDomain test = TestDomain.create()) {
            try (ConnectionPair pair = ConnectionPair.open(test.domain(), device, RING)) {
                assertEquals(1, pair.a.write(ByteBuffer.allocate(1)));
                assertFalse(pair.b.prepareToSleep(), "data is pending");
                pair.b.wakeUp();
                assertEquals(1, pair.b.read(ByteBuffer.allocate(8)));
                assertTrue(pair.b.prepareToSleep());
                pair.b.wakeUp();

                pair.a.shutdownOutput();
                assertFalse(pair.b.prepareToSleep(), "a new peer flag is pending");
                pair.b.wakeUp();
                assertTrue(pair.b.prepareToSleep(), "the flag was seen");
                pair.b.wakeUp();

                assertEquals(RING, pair.b.write(ByteBuffer.allocate(RING)));
                assertEquals(0, pair.b.write(ByteBuffer.allocate(1)));
                assertTrue(pair.b.prepareToSleep(), "blocked and still no space");
                pair.b.wakeUp();
                assertEquals(1, pair.a.read(ByteBuffer.allocate(1)));
                assertFalse(pair.b.prepareToSleep(), "space for a blocked writer is pending");
                pair.b.wakeUp();
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    /** Producer cursors no valid peer can publish, with B at consumer 0:40 and producer 0:100. */
    static Stream<Arguments> impossibleProducerCursors() {
        List<Arguments> cases = new ArrayList<>();
        for (String device : Devices.ALL) {
            cases.add(Arguments.of(device, "count equal to the ring size", CdcCursor.of(0, RING)));
            cases.add(Arguments.of(device, "negative count", CdcCursor.of(0, -1)));
            cases.add(Arguments.of(device, "count far beyond the ring", CdcCursor.of(0, Integer.MAX_VALUE)));
            cases.add(Arguments.of(device, "moving backwards", CdcCursor.of(0, 99)));
            cases.add(Arguments.of(device, "one byte more than a ring ahead of the consumer", CdcCursor.of(1, 41)));
            cases.add(Arguments.of(device, "two laps ahead", CdcCursor.of(2, 0)));
            cases.add(Arguments.of(device, "a lap behind", CdcCursor.of(-1, 100)));
            cases.add(Arguments.of(device, "all ones", -1L));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("impossibleProducerCursors")
    void anImpossibleProducerCursorIsAProtocolErrorAndNothingIsRead(String device, String what, long forged) throws Exception {
        try (TestDomain test = TestDomain.create()) {
            try (ConnectionPair pair = ConnectionPair.open(test.domain(), device, RING)) {
                assertEquals(100, pair.a.write(streamBytes(41, 100)));
                XorShiftStream expected = new XorShiftStream(41);
                ByteBuffer dst = ByteBuffer.allocate(RING);
                assertEquals(40, pair.b.read(dst.limit(40)));
                expected.verify(dst, 0, 40, "");
                ByteBuffer bDmb = pair.b.rmb().buffer();
                long genuine = SharedWords.getAcquire(bDmb, CdcDescriptor.PROD_CURSOR_OFFSET);
                assertEquals(CdcCursor.of(0, 100), genuine);

                SharedWords.setRelease(bDmb, CdcDescriptor.PROD_CURSOR_OFFSET, forged);
                dst.clear();
                assertProtocolError(() -> pair.b.read(dst));
                assertEquals(0, dst.position(), "no byte was read");
                assertProtocolError(pair.b::readableBytes);
                assertProtocolError(pair.b::hasPendingWork);
                assertProtocolError(pair.b::prepareToSleep);
                pair.b.wakeUp();

                // The connection used nothing of the forged value: with the genuine cursor back, the rest arrives.
                SharedWords.setRelease(bDmb, CdcDescriptor.PROD_CURSOR_OFFSET, genuine);
                assertEquals(60, pair.b.readableBytes());
                SharedWords.setRelease(bDmb, CdcDescriptor.PROD_CURSOR_OFFSET, forged);
                assertProtocolError(() -> pair.b.read(dst));
                SharedWords.setRelease(bDmb, CdcDescriptor.PROD_CURSOR_OFFSET, genuine);
                assertEquals(60, pair.b.read(dst));
                expected.verify(dst, 0, 60, "after the forged cursor was withdrawn");
                pair.b.abort();
                assertPeerAbort(() -> pair.a.write(ascii("x")));
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    /** Consumer cursors no valid peer can publish, with A's producer at 0:100 and B's consumer at 0:40. */
    static Stream<Arguments> impossibleConsumerCursors() {
        List<Arguments> cases = new ArrayList<>();
        for (String device : Devices.ALL) {
            cases.add(Arguments.of(device, "beyond the producer", CdcCursor.of(0, 101)));
            cases.add(Arguments.of(device, "moving backwards", CdcCursor.of(0, 39)));
            cases.add(Arguments.of(device, "count equal to the ring size", CdcCursor.of(0, RING)));
            cases.add(Arguments.of(device, "negative count", CdcCursor.of(0, -1)));
            cases.add(Arguments.of(device, "a lap ahead", CdcCursor.of(1, 40)));
            cases.add(Arguments.of(device, "two laps ahead", CdcCursor.of(2, 0)));
            cases.add(Arguments.of(device, "all ones", -1L));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("impossibleConsumerCursors")
    void anImpossibleConsumerCursorIsAProtocolErrorAndNothingIsWritten(String device, String what, long forged) throws Exception {
        try (TestDomain test = TestDomain.create()) {
            try (ConnectionPair pair = ConnectionPair.open(test.domain(), device, RING)) {
                assertEquals(100, pair.a.write(ByteBuffer.allocate(100)));
                assertEquals(40, pair.b.read(ByteBuffer.allocate(40)));
                assertEquals(RING - 60, pair.a.writableBytes());
                ByteBuffer aDmb = pair.a.rmb().buffer();
                long genuine = SharedWords.getAcquire(aDmb, CdcDescriptor.CONS_CURSOR_OFFSET);
                assertEquals(CdcCursor.of(0, 40), genuine);

                SharedWords.setRelease(aDmb, CdcDescriptor.CONS_CURSOR_OFFSET, forged);
                ByteBuffer src = ByteBuffer.allocate(10);
                assertProtocolError(() -> pair.a.write(src));
                assertEquals(0, src.position(), "no byte was taken");
                assertProtocolError(() -> pair.a.write(new ByteBuffer[] {src}, 0, 1));
                assertEquals(0, src.position());
                assertProtocolError(pair.a::writableBytes);
                assertEquals(CdcCursor.of(0, 100), SharedWords.getAcquire(pair.b.rmb().buffer(), CdcDescriptor.PROD_CURSOR_OFFSET),
                        "nothing was published");

                SharedWords.setRelease(aDmb, CdcDescriptor.CONS_CURSOR_OFFSET, genuine);
                assertEquals(RING - 60, pair.a.writableBytes(), "the genuine cursor is accepted again");

                SharedWords.setRelease(aDmb, CdcDescriptor.CONS_CURSOR_OFFSET, forged);
                assertProtocolError(pair.a::writableBytes);
                pair.a.abort();
                assertEquals(60, pair.b.read(ByteBuffer.allocate(RING)));
                assertPeerAbort(() -> pair.b.read(ByteBuffer.allocate(1)));
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    static Stream<Arguments> impossibleFlags() {
        List<Arguments> cases = new ArrayList<>();
        for (String device : Devices.ALL) {
            cases.add(Arguments.of(device, CdcFlags.ALL + 1));
            cases.add(Arguments.of(device, 1L << 32 | CdcFlags.PEER_DONE_WRITING));
            cases.add(Arguments.of(device, Long.MIN_VALUE));
            cases.add(Arguments.of(device, -1L));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: 0x{1}")
    @MethodSource("impossibleFlags")
    void flagsWithUndefinedBitsAreAProtocolError(String device, long forged) throws Exception {
        try (TestDomain test = TestDomain.create()) {
            try (ConnectionPair pair = ConnectionPair.open(test.domain(), device, RING)) {
                ByteBuffer bDmb = pair.b.rmb().buffer();
                SharedWords.setRelease(bDmb, CdcDescriptor.FLAGS_OFFSET, forged);
                assertProtocolError(pair.b::peerFlags);
                assertProtocolError(() -> pair.b.read(ByteBuffer.allocate(8)));
                assertProtocolError(() -> pair.b.write(ByteBuffer.allocate(8)));
                assertProtocolError(pair.b::writableBytes);
                assertProtocolError(pair.b::prepareToSleep);
                pair.b.wakeUp();

                SharedWords.setRelease(bDmb, CdcDescriptor.FLAGS_OFFSET, 0);
                assertEquals(0, pair.b.read(ByteBuffer.allocate(8)));
                assertEquals(8, pair.b.write(ByteBuffer.allocate(8)));

                SharedWords.setRelease(bDmb, CdcDescriptor.FLAGS_OFFSET, forged);
                pair.b.abort();
                assertEquals(8, pair.a.read(ByteBuffer.allocate(100)));
                assertPeerAbort(() -> pair.a.read(ByteBuffer.allocate(1)));
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void cursorsOnTheEdgeOfWhatFlowControlAllowsAreAccepted(String device) throws Exception {
        try (TestDomain test = TestDomain.create()) {
            try (ConnectionPair pair = ConnectionPair.open(test.domain(), device, RING)) {
                ByteBuffer bDmb = pair.b.rmb().buffer();
                // Exactly one ring ahead of the consumer: a full ring, the most a peer may publish.
                SharedWords.setRelease(bDmb, CdcDescriptor.PROD_CURSOR_OFFSET, CdcCursor.of(1, 0));
                assertEquals(RING, pair.b.readableBytes());
                assertEquals(RING, pair.b.read(ByteBuffer.allocate(2 * RING)));
                assertEquals(CdcCursor.of(1, 0), SharedWords.getAcquire(pair.a.rmb().buffer(), CdcDescriptor.CONS_CURSOR_OFFSET));
                // Almost a whole lap more, ending one byte before the consumer's position.
                SharedWords.setRelease(bDmb, CdcDescriptor.PROD_CURSOR_OFFSET, CdcCursor.of(1, RING - 1));
                assertEquals(RING - 1, pair.b.read(ByteBuffer.allocate(2 * RING)));
                SharedWords.setRelease(bDmb, CdcDescriptor.PROD_CURSOR_OFFSET, CdcCursor.of(2, RING - 1));
                assertEquals(RING, pair.b.readableBytes(), "a full ring across the ring's end");
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    static Stream<Arguments> ringSizes() {
        List<Arguments> cases = new ArrayList<>();
        for (String device : Devices.ALL) {
            for (int ring : new int[] {16 * 1024, 32 * 1024, 1024 * 1024}) {
                cases.add(Arguments.of(device, ring));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: ring {1}")
    @MethodSource("ringSizes")
    void everyByteSurvivesManyWrapsWithOddWriteAndReadSizes(String device, int ring) throws Exception {
        try (TestDomain test = TestDomain.create()) {
            long total = Math.max(8L << 20, 24L * ring) + 4093;
            try (ConnectionPair pair = ConnectionPair.open(test.domain(), device, ring)) {
                transferOneThread(pair.a, pair.b, total, 0xC0FFEEL + ring,
                        SizeSequence.cycle(1, 7, 4093, 65537), SizeSequence.cycle(3, 65536, 4093, 1, 16385, 8191));
                transferOneThread(pair.b, pair.a, total, 0xBEEFL + ring,
                        SizeSequence.cycle(65537, 4093, 7, 1), SizeSequence.cycle(8191, 1, 65536, 3));
                long end = CdcCursor.of((int) (total / ring), (int) (total % ring));
                assertEquals(CdcCursor.toString(end), CdcCursor.toString(producerCursorIn(pair.b)), "A's producer cursor in B's DMB");
                assertEquals(CdcCursor.toString(end), CdcCursor.toString(consumerCursorIn(pair.a)), "B's consumer cursor in A's DMB");
                assertEquals(CdcCursor.toString(end), CdcCursor.toString(producerCursorIn(pair.a)));
                assertEquals(CdcCursor.toString(end), CdcCursor.toString(consumerCursorIn(pair.b)));
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void eachDirectionUsesTheRingSizeOfItsReceiver(String device) throws Exception {
        try (TestDomain test = TestDomain.create()) {
            int ringOfA = 16 * 1024;
            int ringOfB = 64 * 1024;
            try (ConnectionPair pair = ConnectionPair.open(test.domain(), device, ringOfA, ringOfB)) {
                assertEquals(ringOfB, pair.a.writableBytes());
                assertEquals(ringOfA, pair.b.writableBytes());
                long total = (1L << 20) + 12345;
                transferOneThread(pair.a, pair.b, total, 51, SizeSequence.random(52, 3 * ringOfB), SizeSequence.random(53, ringOfB));
                transferOneThread(pair.b, pair.a, total, 54, SizeSequence.random(55, 3 * ringOfB), SizeSequence.random(56, ringOfB));
                assertEquals(CdcCursor.of((int) (total / ringOfB), (int) (total % ringOfB)), producerCursorIn(pair.b));
                assertEquals(CdcCursor.of((int) (total / ringOfA), (int) (total % ringOfA)), producerCursorIn(pair.a));
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    /**
     * Streams {@code total} bytes from {@code from} to {@code to} with one thread, checking each byte.
     * With one thread a round without progress means a lost byte or lost space, so it fails at once.
     */
    private static void transferOneThread(SmcdConnection from, SmcdConnection to, long total, long seed,
                                          SizeSequence writeSizes, SizeSequence readSizes) throws SmcdException {
        StreamSender sender = new StreamSender(from, total, seed, writeSizes);
        StreamReceiver receiver = new StreamReceiver(to, total, seed, true, readSizes);
        while (!(sender.isDone() && receiver.isDone())) {
            boolean wrote = sender.step();
            boolean read = receiver.step();
            if (!wrote && !read) {
                fail("no progress with one thread: " + sender + " " + receiver + " from " + from + " to " + to);
            }
        }
        assertEquals(sender.crc(), receiver.crc());
    }

    private static long producerCursorIn(SmcdConnection owner) {
        return SharedWords.getAcquire(owner.rmb().buffer(), CdcDescriptor.PROD_CURSOR_OFFSET);
    }

    private static long consumerCursorIn(SmcdConnection owner) {
        return SharedWords.getAcquire(owner.rmb().buffer(), CdcDescriptor.CONS_CURSOR_OFFSET);
    }

    private static void assertRings(ConnectionPair pair, int ofA, int ofB, String why) {
        assertEquals(ofA, pair.ringsOfA.get(), "rings of A's doorbell: " + why);
        assertEquals(ofB, pair.ringsOfB.get(), "rings of B's doorbell: " + why);
    }

    private static void assertPeerAbort(Executable executable) {
        SmcdException e = assertThrows(SmcdException.class, executable);
        assertFalse(e instanceof CdcProtocolException, e.toString());
        assertEquals(SmcdReason.PEER_ABORT, e.reasonCode(), e.toString());
    }

    private static void assertProtocolError(Executable executable) {
        CdcProtocolException e = assertThrows(CdcProtocolException.class, executable);
        assertEquals(SmcdReason.SYNCERR, e.reasonCode());
    }

    private static ByteBuffer streamBytes(long seed, int length) {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        new XorShiftStream(seed).fill(buffer, 0, length);
        return buffer;
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static ByteBuffer direct(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    }

    private static String string(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static String readString(SmcdConnection connection, int length) throws SmcdException {
        ByteBuffer dst = ByteBuffer.allocate(length);
        assertEquals(length, connection.read(dst));
        return string(dst.flip());
    }
}
