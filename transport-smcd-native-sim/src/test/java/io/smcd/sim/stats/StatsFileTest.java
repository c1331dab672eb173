package io.smcd.sim.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smcd.sim.CdcCursor;
import io.smcd.sim.ProcessIdentity;
import io.smcd.sim.testing.TestDomain;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class StatsFileTest {
    private static final List<String> LABELS = List.of("connections.opened{mode=tcp}", "bytes{direction=sent}", "x");

    private static ConnectionRecord record(long k) throws Exception {
        InetSocketAddress local = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), (int) (k % 60000) + 1);
        InetSocketAddress peer = new InetSocketAddress(InetAddress.getByName("::1"), 443);
        return new ConnectionRecord("ACTIVE", "SERVER", "SMCD_COPY", 0, 0, local, peer, k, k, 65536, k, 65536, k, k,
                CdcCursor.of(1, 100), CdcCursor.of(1, 40), CdcCursor.of(2, 10), CdcCursor.of(1, 65530));
    }

    @Test
    void publishedCountersAndConnectionsReadBackAsWritten() throws Exception {
        try (TestDomain d = TestDomain.create()) {
            StatsFile file = StatsFile.create(d.domain(), LABELS, 2);
            try {
                ProcessStats empty = StatsReader.read(file.file()).orElseThrow();
                assertEquals(ProcessIdentity.current(), empty.owner());
                assertEquals(0, empty.publications());
                assertEquals(List.of(0L, 0L, 0L), List.copyOf(empty.counters().values()));

                ConnectionRecord tcp = new ConnectionRecord("PEERCLW", "CLIENT", "TCP", 0x03010000, 0, null, null, 0, 0,
                        0, 0, 0, 0, 0, 0, 0, 0, 0);
                file.publish(new long[] {1, 1L << 40, 7}, List.of(record(5), tcp, record(6)), 3);
                ProcessStats s = StatsReader.read(file.file()).orElseThrow();
                assertEquals(1, s.publications());
                assertTrue(s.publishedMillis() > 0);
                assertEquals(1L << 40, s.counter("bytes{direction=sent}"));
                assertEquals(7, s.counter("x"));
                assertEquals(0, s.counter("absent"));
                assertEquals(List.of(record(5), tcp), s.connections(), "two slots, so the third is counted only");
                assertEquals(3, s.connectionsOpen());
                assertEquals(60, s.connections().get(0).bytesQueuedSend());
                assertEquals(16, s.connections().get(0).bytesQueuedReceive());
                assertTrue(s.alive());
                assertEquals(List.of(s.file()), StatsFiles.readAll(d.directory()).stream().map(ProcessStats::file).toList());

                file.publishCounters(new long[] {2, 1L << 41, 8});
                ProcessStats counted = StatsReader.read(file.file()).orElseThrow();
                assertEquals(2, counted.publications());
                assertEquals(List.of(2L, 1L << 41, 8L), List.copyOf(counted.counters().values()));
                assertEquals(List.of(record(5), tcp), counted.connections(), "the connection table stays as published");
                assertEquals(3, counted.connectionsOpen());
            } finally {
                file.close();
            }
            assertFalse(Files.exists(file.file()));
            file.publish(new long[3], List.of(), 0);
            file.publishCounters(new long[3]);
            assertTrue(d.leftoverFiles().isEmpty(), d.leftoverFiles().toString());
        }
    }

    @Test
    void labelsMustFitTheirRecord() throws Exception {
        try (TestDomain d = TestDomain.create()) {
            assertThrows(IllegalArgumentException.class, () -> StatsFile.create(d.domain(), List.of("x".repeat(56)), 1));
            assertThrows(IllegalArgumentException.class, () -> StatsFile.create(d.domain(), List.of(""), 1));
            assertThrows(IllegalArgumentException.class, () -> StatsFile.create(d.domain(), List.of("bytes\u00e9"), 1));
            assertTrue(d.leftoverFiles().isEmpty(), d.leftoverFiles().toString());
        }
    }

    /** A reader racing a writer that rewrites every slot sees each slot whole: all its numbers from one publication. */
    @Test
    void readersNeverSeeATornSlot() throws Exception {
        try (TestDomain d = TestDomain.create()) {
            StatsFile file = StatsFile.create(d.domain(), LABELS, 64);
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                try {
                    for (long k = 1; !stop.get(); k++) {
                        List<ConnectionRecord> records = new ArrayList<>();
                        for (int i = 0; i < 64; i++) {
                            records.add(record(k * 64 + i));
                        }
                        file.publish(new long[] {k, k, k}, records, 64);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "stats-writer");
            writer.start();
            try {
                int slotsSeen = 0;
                for (int round = 0; round < 300; round++) {
                    ProcessStats s = StatsReader.read(file.file()).orElseThrow();
                    for (ConnectionRecord c : s.connections()) {
                        long k = c.peerPid();
                        assertEquals(record(k), c, "slot with peerPid " + k);
                        slotsSeen++;
                    }
                }
                assertTrue(slotsSeen > 0, "the reader saw no slot at all");
            } finally {
                stop.set(true);
                writer.join();
                file.close();
            }
        }
    }

    @Test
    void garbageAndTruncatedFilesReadAsNothing() throws Exception {
        try (TestDomain d = TestDomain.create()) {
            Path garbage = d.directory().resolve(StatsDescriptor.FILE_PREFIX + "garbage");
            byte[] bytes = new byte[StatsDescriptor.fileLength(3, 2)];
            ThreadLocalRandom.current().nextBytes(bytes);
            Files.write(garbage, bytes);
            assertEquals(Optional.empty(), StatsReader.read(garbage));
            StatsFile file = StatsFile.create(d.domain(), LABELS, 2);
            try (FileChannel channel = FileChannel.open(file.file(), StandardOpenOption.WRITE)) {
                channel.truncate(StatsDescriptor.HEADER_LENGTH + 8);
            }
            assertEquals(Optional.empty(), StatsReader.read(file.file()), "length no longer matches the header");
            assertEquals(Optional.empty(), StatsReader.read(d.directory().resolve("stats-absent")));
            file.close();
            Files.delete(garbage);
        }
    }

    @Test
    void sweepRemovesFilesOfDeadProcessesOnly() throws Exception {
        try (TestDomain d = TestDomain.create()) {
            StatsFile live = StatsFile.create(d.domain(), LABELS, 1);
            try {
                Path dead = d.directory().resolve(StatsDescriptor.FILE_PREFIX + Integer.MAX_VALUE + "-1-ab");
                Path reusedPid = d.directory().resolve(StatsDescriptor.FILE_PREFIX + ProcessIdentity.current().pid()
                        + "-1-cd");
                Path nameless = d.directory().resolve(StatsDescriptor.FILE_PREFIX + "x");
                for (Path p : List.of(dead, reusedPid, nameless)) {
                    Files.write(p, ByteBuffer.allocate(8).array());
                }
                assertEquals(3, StatsFiles.sweep(d.directory()));
                assertTrue(Files.exists(live.file()));
                assertEquals(0, StatsFiles.sweep(d.directory()));
            } finally {
                live.close();
            }
        }
    }
}
