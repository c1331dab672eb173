package io.smcd.sim.conn;

import io.smcd.sim.DmbSize;
import io.smcd.sim.SmcdConnection;
import io.smcd.sim.lgr.LinkGroups;
import io.smcd.sim.testing.ChildJvm;
import io.smcd.sim.testing.TestDomain;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Both directions at once between this JVM and a child JVM over real /dev/shm files, each process one
 * thread alternating its write and its read as an event loop does: a gibibyte each way compared by
 * CRC32C (each side's CRC of what it sent against the other's of what it received), ring wraps at
 * several ring sizes with odd chunk sizes, and the cursor stress with random sizes over a 16 KiB ring
 * where every byte is checked against the sender's stream. Throughput goes to stdout, never asserted.
 */
@Timeout(300)
class TwoProcessTransferTest {
    private static final long GIB = 1L << 30;
    private static final Duration BOUND = Duration.ofSeconds(120);

    static Stream<String> devices() {
        return Devices.ALL.stream();
    }

    @ParameterizedTest
    @MethodSource("devices")
    void aGibibyteEachWayAtOnceArrivesWithMatchingCrcs(String device) throws Exception {
        int ring = DmbSize.sizeOf(DmbSize.SMCD_MAX_CODE);
        transfer("1 GiB each way", device, ring, GIB, false,
                SizeSequence.cycle(256 * 1024, 128 * 1024, 192 * 1024 + 4093), SizeSequence.cycle(256 * 1024, 64 * 1024 + 1),
                SizeSequence.cycle(192 * 1024 + 4093, 256 * 1024, 128 * 1024), SizeSequence.cycle(64 * 1024 + 1, 256 * 1024));
    }

    static Stream<Arguments> ringSizes() {
        List<Arguments> cases = new ArrayList<>();
        for (String device : Devices.ALL) {
            for (int ring : new int[] {16 * 1024, 64 * 1024, 256 * 1024}) {
                cases.add(Arguments.of(device, ring));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: ring {1}")
    @MethodSource("ringSizes")
    void everyByteSurvivesRingWrapsWithOddChunkSizes(String device, int ring) throws Exception {
        transfer("ring wraps", device, ring, 64L << 20, true,
                SizeSequence.cycle(1, 7, 4093, 65537, 12289), SizeSequence.cycle(3, 65521, 4099, 1, 8191),
                SizeSequence.cycle(65537, 1, 4093, 7, 100003), SizeSequence.cycle(8191, 1, 65521, 4099, 3));
    }

    @ParameterizedTest
    @MethodSource("devices")
    void cursorStressAcrossProcessesChecksEveryByte(String device) throws Exception {
        int ring = DmbSize.MIN_SIZE;
        transfer("cursor stress", device, ring, 512L << 20, true,
                SizeSequence.random(11, 3 * ring), SizeSequence.random(12, 2 * ring),
                SizeSequence.random(13, 3 * ring), SizeSequence.random(14, 2 * ring));
    }

    /**
     * Runs one transfer of {@code bytes} each way, the parent writing with {@code parentWrites} and reading
     * with {@code parentReads}, the child likewise, and compares the counts and all four CRCs.
     */
    private static void transfer(String what, String device, int ring, long bytes, boolean verify,
                                 SizeSequence parentWrites, SizeSequence parentReads,
                                 SizeSequence childWrites, SizeSequence childReads) throws Exception {
        long parentSeed = 0x9A4E_47L ^ ring;
        long childSeed = 0xC41D_5EEDL ^ ring;
        try (TestDomain test = TestDomain.create()) {
            ChildConnections.TransferSpec spec = new ChildConnections.TransferSpec();
            spec.domain = test.directory().toString();
            spec.device = device;
            spec.ring = ring;
            spec.send = bytes;
            spec.receive = bytes;
            spec.sendSeed = childSeed;
            spec.receiveSeed = parentSeed;
            spec.verify = verify;
            spec.writeSizes = childWrites.toString();
            spec.readSizes = childReads.toString();
            spec.timeoutSeconds = BOUND.toSeconds();
            try (LinkGroups linkGroups = new LinkGroups(test.domain());
                 ChildJvm child = ChildJvm.start(ConnectionPeerMain.class, ChildConnections.transferArgs(spec))) {
                SmcdConnection connection = ChildConnections.connect(child, linkGroups, Devices.create(device, test.domain()),
                        ring);
                try {
                    StreamPump pump = new StreamPump(connection,
                            new StreamSender(connection, bytes, parentSeed, parentWrites),
                            new StreamReceiver(connection, bytes, childSeed, verify, parentReads));
                    long start = System.nanoTime();
                    try {
                        pump.run(BOUND);
                    } catch (AssertionError | Exception e) {
                        throw new AssertionError(e.getMessage() + "\nchild stderr:\n" + child.stderr(), e);
                    }
                    long parentNanos = System.nanoTime() - start;
                    String[] done = child.expect("DONE", BOUND).split(" ");
                    assertEquals(0, child.waitFor(Duration.ofSeconds(60)), child.stderr());
                    assertEquals(bytes, Long.parseLong(done[0]), "bytes the child sent");
                    assertEquals(bytes, Long.parseLong(done[2]), "bytes the child received");
                    assertEquals(bytes, pump.sender.sent());
                    assertEquals(bytes, pump.receiver.received());
                    assertEquals(Long.parseLong(done[1]), pump.receiver.crc(), "CRC32C: child sent vs parent received");
                    assertEquals(pump.sender.crc(), Long.parseLong(done[3]), "CRC32C: parent sent vs child received");
                    long childNanos = Long.parseLong(done[4]);
                    System.out.printf(Locale.ROOT, "two processes, %s, %s, ring %d KiB, %s: %d MiB each way in %.2f s (child %.2f s),"
                                    + " %.0f MiB/s per direction%n", what, device, ring / 1024, verify ? "every byte checked" : "CRC only",
                            bytes >> 20, parentNanos / 1e9, childNanos / 1e9, (bytes >> 20) / (Math.max(parentNanos, childNanos) / 1e9));
                } finally {
                    connection.close();
                }
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
    }
}
