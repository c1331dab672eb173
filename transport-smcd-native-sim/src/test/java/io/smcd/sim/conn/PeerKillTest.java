package io.smcd.sim.conn;

import io.smcd.sim.DmbSegment;
import io.smcd.sim.DmbSize;
import io.smcd.sim.DmbSweeper;
import io.smcd.sim.SmcdConnection;
import io.smcd.sim.SmcdException;
import io.smcd.sim.SmcdReason;
import io.smcd.sim.lgr.LinkGroups;
import io.smcd.sim.testing.ChildJvm;
import io.smcd.sim.testing.TestDomain;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGKILL of the peer process. While both directions stream, the survivor drains what the dead peer had
 * published, then sees no progress and learns from {@link SmcdConnection#isPeerAlive()} that the peer is
 * gone; closing its connection leaves nothing in the domain, because attaching had unlinked both DMB
 * files already. A peer killed between registering its RMB and the attach leaves its DMB file, which
 * {@link DmbSweeper} removes.
 */
@Timeout(120)
class PeerKillTest {
    private static final int RING = DmbSize.sizeOf(DmbSize.SMCD_MAX_CODE);
    private static final long KILL_AFTER = 16L << 20;
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final Duration DETECTION_BOUND = Duration.ofSeconds(10);

    static Stream<String> devices() {
        return Devices.ALL.stream();
    }

    @ParameterizedTest
    @MethodSource("devices")
    void theSurvivorSeesTheKilledPeerGoneAndClosingLeavesNothingBehind(String device) throws Exception {
        try (TestDomain test = TestDomain.create()) {
            ChildConnections.TransferSpec spec = new ChildConnections.TransferSpec();
            spec.domain = test.directory().toString();
            spec.device = device;
            spec.ring = RING;
            spec.send = Long.MAX_VALUE;
            spec.receive = StreamReceiver.UNKNOWN;
            spec.sendSeed = 0xDEAD;
            spec.receiveSeed = 0xA11FE;
            spec.verify = true;
            spec.writeSizes = SizeSequence.random(21, 256 * 1024).toString();
            spec.readSizes = SizeSequence.random(22, 256 * 1024).toString();
            spec.timeoutSeconds = BOUND.toSeconds();
            try (LinkGroups linkGroups = new LinkGroups(test.domain());
                 ChildJvm child = ChildJvm.start(ConnectionPeerMain.class, ChildConnections.transferArgs(spec))) {
                SmcdConnection connection = ChildConnections.connect(child, linkGroups, Devices.create(device, test.domain()),
                        RING);
                try {
                    StreamPump pump = new StreamPump(connection,
                            new StreamSender(connection, Long.MAX_VALUE, 0xA11FE, SizeSequence.random(23, 256 * 1024)),
                            new StreamReceiver(connection, StreamReceiver.UNKNOWN, 0xDEAD, true, SizeSequence.random(24, 256 * 1024)));
                    Deadline deadline = Deadline.in(BOUND);
                    int idle = 0;
                    while (pump.receiver.received() < KILL_AFTER) {
                        if (pump.step()) {
                            idle = 0;
                        } else {
                            Deadline.idle(++idle);
                            if ((idle & 1023) == 0) {
                                deadline.check(() -> pump + "\nchild stderr:\n" + child.stderr());
                            }
                        }
                    }
                    long receivedAtKill = pump.receiver.received();
                    long killed = System.nanoTime();
                    child.kill();

                    // Drain whatever the peer published before it died, then, with no progress, ask whether it lives.
                    Deadline detection = Deadline.in(DETECTION_BOUND);
                    while (true) {
                        if (pump.step()) {
                            continue;
                        }
                        if (!connection.isPeerAlive()) {
                            break;
                        }
                        detection.check(() -> "isPeerAlive() still true after SIGKILL: " + pump);
                        Thread.yield();
                    }
                    long detectedNanos = System.nanoTime() - killed;
                    assertFalse(connection.isPeerAlive());
                    assertTrue(connection.isWriteBlocked(), "the dead peer stopped reading, so its ring filled: " + connection);
                    assertEquals(0, connection.readableBytes());
                    assertFalse(pump.receiver.isDone(), "a killed peer publishes no end of stream");
                    System.out.printf(Locale.ROOT, "peer kill, %s: killed after %d MiB received, %d bytes drained after the kill,"
                                    + " peer seen dead %.1f ms after SIGKILL%n", device, receivedAtKill >> 20,
                            pump.receiver.received() - receivedAtKill, detectedNanos / 1e6);
                } finally {
                    connection.close();
                }
            }
            assertEquals(List.of(), test.leftoverFiles());
            assertEquals(0, DmbSweeper.sweep(test.domain()), "attaching had unlinked every DMB file already");
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void aPeerKilledBeforeItsDmbWasAttachedLeavesAFileOnlyUntilTheSweep(String device) throws Exception {
        try (TestDomain test = TestDomain.create()) {
            DmbSegment parentRmb = DmbSegment.register(test.domain(), RING);
            try (ChildJvm child = ChildJvm.start(ConnectionPeerMain.class,
                    "mode=hold", "domain=" + test.directory(), "device=" + device, "ring=" + RING)) {
                long childToken = Long.parseUnsignedLong(ChildConnections.readRmb(child)[0], 16);
                Path childFile = DmbSegment.fileOf(test.domain(), childToken);
                Path parentFile = DmbSegment.fileOf(test.domain(), parentRmb.token());
                assertEquals(fileNames(childFile, parentFile), test.leftoverFiles(), "neither RMB was attached yet");
                child.kill();

                assertTrue(Files.exists(childFile), "a dead owner's DMB stays until swept");
                SmcdException e = assertThrows(SmcdException.class, () -> DmbSegment.attach(test.domain(), childToken, RING));
                assertEquals(SmcdReason.SYNCERR, e.reasonCode(), "attaching a dead owner's DMB fails: " + e);
                assertTrue(Files.exists(childFile), "a failed attach does not unlink");

                assertEquals(1, DmbSweeper.sweep(test.domain()), "only the dead child's DMB; the parent's owner lives");
                assertEquals(List.of(parentFile.getFileName().toString()), test.leftoverFiles());
                assertEquals(0, DmbSweeper.sweep(test.domain()));
            } finally {
                parentRmb.close();
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    private static List<String> fileNames(Path... files) {
        return Stream.of(files).map(f -> f.getFileName().toString()).sorted().collect(Collectors.toList());
    }
}
