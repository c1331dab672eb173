package io.smcd.sim.registry;

import static io.smcd.sim.registry.ListenerSegmentDescriptorTest.at;
import static io.smcd.sim.registry.ListenerSegmentDescriptorTest.found;
import static io.smcd.sim.registry.ListenerSegmentDescriptorTest.publish;
import static io.smcd.sim.registry.ListenerSegmentDescriptorTest.requireFound;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smcd.sim.Gid;
import io.smcd.sim.ProcessIdentity;
import io.smcd.sim.SharedFiles;
import io.smcd.sim.SharedWords;
import io.smcd.sim.SmcdException;
import io.smcd.sim.SmcdReason;
import io.smcd.sim.testing.TestDomain;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class EndpointRegistryTest {
    /** An identity no process has: PID 1 started at the epoch. */
    private static final ProcessIdentity DEAD = new ProcessIdentity(1, 1);
    private static final IntentOffer JOIN_OFFER = new IntentOffer(0x1234, 7, 2, List.of(0xFFFF, 0x0C0D));

    @Test
    void findsAListenerAtItsExactAddressOnlyAndCloseRemovesIt() throws Exception {
        try (TestDomain test = TestDomain.create(); EndpointRegistry registry = new EndpointRegistry(test.domain())) {
            ListenerSegment server = registry.registerListener(at("127.0.0.1", 8080));
            Listener found = registry.findListener(at("127.0.0.1", 8080)).orElseThrow();
            assertEquals(server.record(), found.record());
            assertEquals(ProcessIdentity.current(), found.record().owner());
            assertSame(found, registry.findListener(at("127.0.0.1", 8080)).orElseThrow(), "cached while current");
            assertEquals(Optional.empty(), registry.findListener(at("127.0.0.1", 8081)));
            assertEquals(Optional.empty(), registry.findListener(at("127.0.0.2", 8080)), "aliases are not matched");
            assertEquals(List.of("listener-8080-7f000001"), test.leftoverFiles());
            server.close();
            assertEquals(Optional.empty(), registry.findListener(at("127.0.0.1", 8080)));
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    @Test
    void aWildcardListenerOfEitherFamilyServesEveryAddressOnItsPort() throws Exception {
        try (TestDomain test = TestDomain.create(); EndpointRegistry registry = new EndpointRegistry(test.domain())) {
            for (String wildcard : List.of("0.0.0.0", "::")) {
                ListenerSegment server = registry.registerListener(at(wildcard, 9000));
                for (String destination : List.of("127.0.0.1", "127.0.0.7", "::1", wildcard)) {
                    assertEquals(server.record(), registry.findListener(at(destination, 9000)).orElseThrow().record(),
                            wildcard + " serving " + destination);
                }
                server.close();
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    @Test
    void findsAnIPv6ListenerAtItsExactAddress() throws Exception {
        try (TestDomain test = TestDomain.create(); EndpointRegistry registry = new EndpointRegistry(test.domain())) {
            ListenerSegment server = registry.registerListener(at("::1", 8443));
            assertEquals(at("::1", 8443), registry.findListener(at("::1", 8443)).orElseThrow().record().address());
            assertEquals(Optional.empty(), registry.findListener(at("127.0.0.1", 8443)));
            server.close();
        }
    }

    @Test
    void ignoresButKeepsTheListenerOfAnotherDomainGid() throws Exception {
        try (TestDomain test = TestDomain.create(); EndpointRegistry registry = new EndpointRegistry(test.domain())) {
            ListenerRecord foreign = new ListenerRecord(ProcessIdentity.current(), Gid.of(UUID.randomUUID()),
                    at("127.0.0.1", 8080), 1);
            ListenerSegment segment = ListenerSegment.create(test.domain(),
                    test.directory().resolve("listener-8080-7f000001"), foreign, 16);
            assertEquals(Optional.empty(), registry.findListener(at("127.0.0.1", 8080)));
            assertEquals(List.of("listener-8080-7f000001"), test.leftoverFiles(), "a live owner keeps it");
            segment.close();
        }
    }

    @Test
    void removesTheListenerOfADeadOwnerAndFallsThroughToALiveWildcard() throws Exception {
        try (TestDomain test = TestDomain.create(); EndpointRegistry registry = new EndpointRegistry(test.domain())) {
            ListenerSegment dead = ListenerSegment.create(test.domain(), test.directory().resolve("listener-8080-7f000001"),
                    new ListenerRecord(DEAD, test.domain().gid(), at("127.0.0.1", 8080), 1), 16);
            ListenerSegment wildcard = registry.registerListener(at("0.0.0.0", 8080));
            assertEquals(wildcard.record(), registry.findListener(at("127.0.0.1", 8080)).orElseThrow().record());
            assertFalse(Files.exists(test.directory().resolve("listener-8080-7f000001")), "the dead owner's is removed when met");
            dead.release();
            wildcard.close();
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    @Test
    void aNewRegistrationReplacesTheCachedOneAndCloseRemovesOnlyItsOwn() throws Exception {
        try (TestDomain test = TestDomain.create(); EndpointRegistry registry = new EndpointRegistry(test.domain())) {
            ListenerSegment first = registry.registerListener(at("127.0.0.1", 8080));
            Listener firstSeen = registry.findListener(at("127.0.0.1", 8080)).orElseThrow();
            ListenerSegment second = registry.registerListener(at("127.0.0.1", 8080));
            Listener secondSeen = registry.findListener(at("127.0.0.1", 8080)).orElseThrow();
            assertNotSame(firstSeen, secondSeen, "the file under the name changed");
            assertEquals(second.record(), secondSeen.record());
            first.close();
            assertEquals(List.of("listener-8080-7f000001"), test.leftoverFiles(), "the newer registration's stays");
            assertEquals(second.record(), registry.findListener(at("127.0.0.1", 8080)).orElseThrow().record());
            second.close();
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    @Test
    void aClaimBeforeTheWithdrawWinsAndTheClientLearnsIt() throws Exception {
        try (TestDomain test = TestDomain.create(); EndpointRegistry registry = new EndpointRegistry(test.domain())) {
            ListenerSegment server = registry.registerListener(at("127.0.0.1", 8080));
            ClientIntent intent = publish(registry.findListener(at("127.0.0.1", 8080)).orElseThrow(), at("127.0.0.1", 40000), at("127.0.0.1", 8080), IntentOffer.NONE);
            assertFalse(intent.isClaimed());
            PendingIntent pending = requireFound(server, at("127.0.0.1", 40000), at("127.0.0.1", 8080));
            assertEquals(ProcessIdentity.current(), pending.client());
            assertEquals(IntentOffer.NONE, pending.offer());
            assertTrue(server.claimClc(pending));
            assertTrue(intent.isClaimed());
            assertFalse(server.claimClc(pending), "decided once");
            assertEquals(ClientIntent.Outcome.CLC, intent.decide());
            assertEquals(ClientIntent.Outcome.CLC, intent.decide(), "the same outcome again");
            assertEquals(0, server.busySlots(), "the client freed the slot");
            assertNull(found(server, at("127.0.0.1", 40000), at("127.0.0.1", 8080)));
            server.close();
        }
    }

    @Test
    void aWithdrawBeforeTheClaimWinsAndTheServerLearnsIt() throws Exception {
        try (TestDomain test = TestDomain.create(); EndpointRegistry registry = new EndpointRegistry(test.domain())) {
            ListenerSegment server = registry.registerListener(at("127.0.0.1", 8080));
            ClientIntent intent = publish(registry.findListener(at("127.0.0.1", 8080)).orElseThrow(), at("127.0.0.1", 40000), at("127.0.0.1", 8080), IntentOffer.NONE);
            PendingIntent pending = requireFound(server, at("127.0.0.1", 40000), at("127.0.0.1", 8080));
            assertEquals(ClientIntent.Outcome.WITHDRAWN, intent.decide());
            assertFalse(server.claimClc(pending));
            assertFalse(server.claimJoin(pending, new IntentAnswer(5, 1, 0, 0xFFFF)));
            assertEquals(0, server.busySlots());
            server.close();
        }
    }

    @Test
    void aJoinCarriesTheOfferToTheServerAndTheAnswerToTheClient() throws Exception {
        try (TestDomain test = TestDomain.create(); EndpointRegistry registry = new EndpointRegistry(test.domain())) {
            ListenerSegment server = registry.registerListener(at("127.0.0.1", 8080));
            ClientIntent intent = publish(registry.findListener(at("127.0.0.1", 8080)).orElseThrow(), at("127.0.0.1", 40000), at("127.0.0.1", 8080), JOIN_OFFER);
            PendingIntent pending = requireFound(server, at("127.0.0.1", 40000), at("127.0.0.1", 8080));
            assertEquals(JOIN_OFFER, pending.offer());
            IntentAnswer answer = new IntentAnswer(0xABCDEF0123456789L, 0xFFFF, 15, 0x0C0D);
            assertTrue(server.claimJoin(pending, answer));
            assertEquals(ClientIntent.Outcome.JOINED, intent.decide());
            assertEquals(answer, intent.answer());
            server.close();
        }
    }

    @Test
    void aReservationNotYetPublishedMakesTheLookupUnsettledAndIsFoundOncePublished() throws Exception {
        try (TestDomain test = TestDomain.create(); EndpointRegistry registry = new EndpointRegistry(test.domain())) {
            ListenerSegment server = registry.registerListener(at("0.0.0.0", 8080));
            Listener listener = registry.findListener(at("127.0.0.1", 8080)).orElseThrow();
            assertFalse(server.find(at("127.0.0.1", 40000), at("127.0.0.1", 8080)).unsettled(), "nothing reserved");
            ClientIntent intent = listener.reserve(at("127.0.0.1", 8080), IntentOffer.NONE);
            ListenerSegment.Lookup early = server.find(at("127.0.0.1", 40000), at("127.0.0.1", 8080));
            assertNull(early.intent());
            assertTrue(early.unsettled(), "the client may be between its connect() and its publish");
            assertFalse(server.find(at("127.0.0.1", 40000), at("127.0.0.1", 9090)).unsettled(), "another destination");
            intent.publish(at("127.0.0.1", 40000));
            ListenerSegment.Lookup settled = server.find(at("127.0.0.1", 40000), at("127.0.0.1", 8080));
            assertEquals(at("127.0.0.1", 40000), settled.intent().clientLocal());
            assertFalse(settled.unsettled());
            assertTrue(server.claimClc(settled.intent()));
            assertEquals(ClientIntent.Outcome.CLC, intent.decide());

            ClientIntent abandoned = listener.reserve(at("127.0.0.1", 8080), IntentOffer.NONE);
            assertEquals(ClientIntent.Outcome.WITHDRAWN, abandoned.decide(), "never published, never claimed");
            assertEquals(0, server.busySlots());
            server.close();
        }
    }

    @Test
    void closeWithdrawsAnUndecidedIntent() throws Exception {
        try (TestDomain test = TestDomain.create(); EndpointRegistry registry = new EndpointRegistry(test.domain())) {
            ListenerSegment server = registry.registerListener(at("127.0.0.1", 8080));
            ClientIntent intent = publish(registry.findListener(at("127.0.0.1", 8080)).orElseThrow(), at("127.0.0.1", 40000), at("127.0.0.1", 8080), IntentOffer.NONE);
            intent.close();
            intent.close();
            assertEquals(ClientIntent.Outcome.WITHDRAWN, intent.decide());
            assertNull(found(server, at("127.0.0.1", 40000), at("127.0.0.1", 8080)));
            server.close();
        }
    }

    @Test
    void theServerFindsAnIntentOnlyForItsClientAndDestination() throws Exception {
        try (TestDomain test = TestDomain.create(); EndpointRegistry registry = new EndpointRegistry(test.domain())) {
            ListenerSegment server = registry.registerListener(at("0.0.0.0", 8080));
            Listener listener = registry.findListener(at("127.0.0.1", 8080)).orElseThrow();
            ClientIntent concrete = publish(listener, at("127.0.0.1", 40000), at("127.0.0.1", 8080), IntentOffer.NONE);
            ClientIntent wildcard = publish(listener, at("127.0.0.1", 40001), at("0.0.0.0", 8080), IntentOffer.NONE);
            assertNull(found(server, at("127.0.0.1", 40002), at("127.0.0.1", 8080)), "another client port");
            assertNull(found(server, at("127.0.0.2", 40000), at("127.0.0.1", 8080)), "another client address");
            assertNull(found(server, at("127.0.0.1", 40000), at("127.0.0.2", 8080)), "another destination");
            assertTrue((found(server, at("127.0.0.1", 40000), at("127.0.0.1", 8080)) != null));
            assertTrue((found(server, at("127.0.0.1", 40001), at("127.0.0.3", 8080)) != null),
                    "an intent to a wildcard destination is found on the concrete local address");
            concrete.close();
            wildcard.close();
            server.close();
        }
    }

    @Test
    void slotsAreReusedAndAFullTableRefusesWithNosmcddev() throws Exception {
        try (TestDomain test = TestDomain.create(); EndpointRegistry registry = new EndpointRegistry(test.domain(), 4)) {
            ListenerSegment server = registry.registerListener(at("127.0.0.1", 8080));
            Listener listener = registry.findListener(at("127.0.0.1", 8080)).orElseThrow();
            for (int i = 0; i < 100; i++) {
                publish(listener, at("127.0.0.1", 40000 + i), at("127.0.0.1", 8080), IntentOffer.NONE).close();
            }
            assertEquals(0, server.busySlots());
            ClientIntent[] held = new ClientIntent[4];
            for (int i = 0; i < held.length; i++) {
                held[i] = publish(listener, at("127.0.0.1", 41000 + i), at("127.0.0.1", 8080), IntentOffer.NONE);
            }
            SmcdException full = assertThrows(SmcdException.class,
                    () -> publish(listener, at("127.0.0.1", 42000), at("127.0.0.1", 8080), IntentOffer.NONE));
            assertEquals(SmcdReason.NOSMCDDEV, full.reasonCode());
            for (int i = 0; i < held.length; i++) {
                assertTrue((found(server, at("127.0.0.1", 41000 + i), at("127.0.0.1", 8080)) != null), "intent " + i);
                held[i].close();
            }
            server.close();
        }
    }

    @Test
    void theServerFreesTheSlotsOfDeadClientsAndOfStuckReservations() throws Exception {
        try (TestDomain test = TestDomain.create(); EndpointRegistry registry = new EndpointRegistry(test.domain(), 16)) {
            ListenerSegment server = registry.registerListener(at("127.0.0.1", 8080));
            ClientIntent live = publish(registry.findListener(at("127.0.0.1", 8080)).orElseThrow(), at("127.0.0.1", 40000), at("127.0.0.1", 8080), IntentOffer.NONE);
            MappedByteBuffer mapping = mapped(test.directory().resolve("listener-8080-7f000001"));
            ByteBuffer segment = mapping.duplicate().order(SharedWords.ORDER);
            int[] free = freeSlots(segment, 2);
            int deadSlot = ListenerSegmentDescriptor.slotOffset(free[0]);
            segment.putLong(deadSlot + ListenerSegmentDescriptor.SLOT_CLIENT_PID, DEAD.pid());
            segment.putLong(deadSlot + ListenerSegmentDescriptor.SLOT_CLIENT_START, DEAD.startMillis());
            SharedWords.setRelease(segment, deadSlot, ListenerSegmentDescriptor.state(ListenerSegmentDescriptor.PENDING, 3));
            int stuckSlot = ListenerSegmentDescriptor.slotOffset(free[1]);
            SharedWords.setRelease(segment, stuckSlot, ListenerSegmentDescriptor.state(ListenerSegmentDescriptor.RESERVED, 8));
            assertEquals(3, server.busySlots());

            assertEquals(1, server.sweepDeadClients(), "the dead client's; a reservation gets one sweep of grace");
            assertEquals(1, server.sweepDeadClients(), "the reservation still stuck");
            assertEquals(0, server.sweepDeadClients());
            assertEquals(1, server.busySlots(), "the live client's intent stays");
            assertEquals(ClientIntent.Outcome.WITHDRAWN, live.decide());
            SharedFiles.unmap(mapping);
            server.close();
        }
    }

    @Test
    void sweepRemovesWhatDeadProcessesLeftAndNothingElse() throws Exception {
        try (TestDomain test = TestDomain.create(); EndpointRegistry registry = new EndpointRegistry(test.domain(), 16)) {
            Path dir = test.directory();
            ListenerSegment dead = ListenerSegment.create(test.domain(), dir.resolve("listener-1-7f000001"),
                    new ListenerRecord(DEAD, test.domain().gid(), at("127.0.0.1", 1), 1), 16);
            dead.release();
            Files.write(dir.resolve("tmp-" + DEAD.pid() + "-" + DEAD.startMillis() + "-listener-1f"), new byte[3]);
            Files.write(dir.resolve("listener-3-7f000001"), new byte[3]);
            int removable = 3;

            ListenerSegment live = registry.registerListener(at("127.0.0.1", 4));
            Path liveTemp = test.domain().newTempFile("listener");
            Files.write(liveTemp, new byte[3]);
            Files.write(dir.resolve("dmb-00000000deadbeef"), new byte[3]);
            Files.write(dir.resolve("tmp-not-an-identity"), new byte[3]);

            assertEquals(removable, registry.sweep());
            assertEquals(0, registry.sweep());
            assertEquals(List.of("dmb-00000000deadbeef", "listener-4-7f000001", liveTemp.getFileName().toString(),
                    "tmp-not-an-identity"), test.leftoverFiles());
            live.close();
        }
    }

    @Test
    void aSweepNeverTakesALiveListenerAwayNotEvenForAMoment() throws Exception {
        try (TestDomain test = TestDomain.create(); EndpointRegistry server = new EndpointRegistry(test.domain());
                EndpointRegistry sweeper = new EndpointRegistry(test.domain())) {
            ListenerSegment live = server.registerListener(at("127.0.0.1", 4040));
            Path file = test.directory().resolve("listener-4040-7f000001");
            Object fileKey = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            AtomicBoolean sweeping = new AtomicBoolean(true);
            Thread sweeps = new Thread(() -> {
                try {
                    while (sweeping.get()) {
                        sweeper.sweep();
                    }
                } catch (SmcdException e) {
                    throw new AssertionError(e);
                }
            });
            sweeps.start();
            try {
                // Every process that opens the domain sweeps it; a client connecting meanwhile must still find the server.
                for (int i = 0; i < 20_000; i++) {
                    assertTrue(Files.exists(file), "the live listener's file was away at lookup " + i);
                }
            } finally {
                sweeping.set(false);
                sweeps.join();
            }
            assertEquals(fileKey, Files.readAttributes(file, BasicFileAttributes.class).fileKey(), "the same file");
            live.close();
        }
    }

    @Test
    void corruptOrTruncatedSegmentsAreAbsentAndRemovedWhenNoLiveProcessClaimsThem() throws Exception {
        try (TestDomain test = TestDomain.create(); EndpointRegistry registry = new EndpointRegistry(test.domain(), 16)) {
            Path file = test.directory().resolve("listener-8080-7f000001");
            ListenerSegment valid = registry.registerListener(at("127.0.0.1", 8080));
            byte[] bytes = Files.readAllBytes(file);
            valid.close();

            for (int length : new int[] {0, 3, ListenerSegmentDescriptor.HEADER_LENGTH - 1}) {
                Files.write(file, Arrays.copyOf(bytes, length));
                assertEquals(Optional.empty(), registry.findListener(at("127.0.0.1", 8080)), "length " + length);
            }
            Files.write(file, Arrays.copyOf(bytes, bytes.length - 1));
            assertEquals(Optional.empty(), registry.findListener(at("127.0.0.1", 8080)), "a length the slot count does not give");
            assertTrue(Files.exists(file), "a live owner still claims it");

            byte[] badMagic = bytes.clone();
            badMagic[0] ^= 1;
            Files.write(file, badMagic);
            assertEquals(Optional.empty(), registry.findListener(at("127.0.0.1", 8080)));
            assertEquals(1, registry.sweep(), "not a listener segment, so no owner claims it");
            assertFalse(Files.exists(file));
        }
    }

    @Test
    void aDomainThatRefusesFilesFailsRegisteringWithSmcdExceptionAndLookupsFindNothing() throws Exception {
        try (TestDomain test = TestDomain.create(); EndpointRegistry registry = new EndpointRegistry(test.domain())) {
            try (var files = Files.list(test.directory())) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(test.directory());

            SmcdException listener = assertThrows(SmcdException.class, () -> registry.registerListener(at("127.0.0.1", 8080)));
            assertTrue(listener.reasonCode() == SmcdReason.MEM || listener.reasonCode() == SmcdReason.CNFERR,
                    listener.getMessage());
            SmcdException sweep = assertThrows(SmcdException.class, registry::sweep);
            assertEquals(SmcdReason.CNFERR, sweep.reasonCode());
            assertEquals(Optional.empty(), registry.findListener(at("127.0.0.1", 8080)));
            assertFalse(Files.exists(test.directory()), "nothing was created");
        }
    }

    @Test
    void aFullTmpfsIsMemAndEverythingElseIsCnferr() {
        Path file = Paths.get("/dev/shm/x");
        assertEquals(SmcdReason.MEM, RecordFiles.failure("write", file,
                new FileSystemException(file.toString(), null, "No space left on device")).reasonCode());
        assertEquals(SmcdReason.MEM, RecordFiles.failure("write", file, new IOException("No space left on device")).reasonCode());
        assertEquals(SmcdReason.CNFERR, RecordFiles.failure("write", file, new AccessDeniedException(file.toString())).reasonCode());
        assertEquals(SmcdReason.CNFERR, RecordFiles.failure("write", file,
                new FileSystemException(file.toString(), null, "Read-only file system")).reasonCode());
    }

    @Test
    void programmingErrorsAreIllegalArgumentsThatNameTheValue() throws Exception {
        try (TestDomain test = TestDomain.create(); EndpointRegistry registry = new EndpointRegistry(test.domain())) {
            assertMessage("bound=", () -> registry.registerListener(InetSocketAddress.createUnresolved("localhost", 80)));
            assertMessage("bound.port=0", () -> registry.registerListener(at("127.0.0.1", 0)));
            assertMessage("destination=null", () -> registry.findListener(null));
            ListenerSegment server = registry.registerListener(at("127.0.0.1", 8080));
            Listener listener = registry.findListener(at("127.0.0.1", 8080)).orElseThrow();
            assertMessage("clientLocal=", () -> publish(listener, at("0.0.0.0", 40000), at("127.0.0.1", 8080), IntentOffer.NONE));
            assertMessage("acceptedLocal=", () -> server.find(at("127.0.0.1", 40000), at("::", 8080)));
            assertMessage("chids=", () -> new IntentOffer(1, 0, 0, List.of(1, 2, 3, 4, 5)));
            server.close();
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    private interface Call {
        void run() throws Exception;
    }

    private static void assertMessage(String start, Call call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }

    /** The first {@code n} free slots of a segment with 16 slots. */
    private static int[] freeSlots(ByteBuffer segment, int n) {
        int[] free = new int[n];
        for (int index = 0, found = 0; found < n; index++) {
            long state = SharedWords.getAcquire(segment, ListenerSegmentDescriptor.slotOffset(index));
            if (ListenerSegmentDescriptor.kind(state) == ListenerSegmentDescriptor.FREE) {
                free[found++] = index;
            }
        }
        return free;
    }

    /** A second mapping of a segment file, as another process would have it. */
    private static MappedByteBuffer mapped(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size());
        }
    }
}
