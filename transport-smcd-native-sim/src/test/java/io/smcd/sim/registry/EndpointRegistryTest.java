package io.smcd.sim.registry;

import io.smcd.sim.Gid;
import io.smcd.sim.ProcessIdentity;
import io.smcd.sim.SmcdException;
import io.smcd.sim.SmcdReason;
import io.smcd.sim.testing.TestDomain;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static io.smcd.sim.registry.RecordDescriptorTest.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EndpointRegistryTest {
    private static final ProcessIdentity SELF = ProcessIdentity.current();
    /** This process's PID with another start time: to the registry, a dead process whose PID was reused. */
    private static final ProcessIdentity DEAD = new ProcessIdentity(SELF.pid(), SELF.startMillis() - 1);
    private static final Gid OTHER_GID = new Gid(1, 2);

    @Test
    void findsAListenerAtItsExactAddressOnlyAndCloseRemovesIt() throws Exception {
        try (TestDomain test = TestDomain.create()) {
            EndpointRegistry registry = new EndpointRegistry(test.domain());
            ListenerRegistration registration = registry.registerListener(at("127.0.0.1", 8080));
            assertEquals(List.of("listener-8080-7f000001"), test.leftoverFiles());

            ListenerRecord found = registry.findListener(at("127.0.0.1", 8080)).orElseThrow();
            assertEquals(registration.record(), found);
            assertEquals(SELF, found.owner());
            assertEquals(test.domain().gid(), found.gid());
            assertEquals(at("127.0.0.1", 8080), found.address());
            assertEquals(Optional.empty(), registry.findListener(at("127.0.0.1", 8081)), "wrong port");
            assertEquals(Optional.empty(), registry.findListener(at("127.0.0.2", 8080)), "other loopback alias");
            assertEquals(Optional.empty(), registry.findListener(at("::1", 8080)), "other family");

            registration.close();
            registration.close();
            assertEquals(Optional.empty(), registry.findListener(at("127.0.0.1", 8080)));
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    @Test
    void aWildcardListenerOfEitherFamilyServesEveryAddressOnItsPort() throws Exception {
        try (TestDomain test = TestDomain.create();
             ListenerRegistration any4 = new EndpointRegistry(test.domain()).registerListener(at("0.0.0.0", 9000));
             ListenerRegistration any6 = new EndpointRegistry(test.domain()).registerListener(at("::", 9100))) {
            EndpointRegistry registry = new EndpointRegistry(test.domain());
            for (String destination : List.of("127.0.0.1", "127.0.0.2", "0.0.0.0", "::1", "::")) {
                assertEquals(Optional.of(any4.record()), registry.findListener(at(destination, 9000)), destination);
                assertEquals(Optional.of(any6.record()), registry.findListener(at(destination, 9100)), destination);
            }
            assertEquals(Optional.empty(), registry.findListener(at("127.0.0.1", 9001)));
            assertTrue(test.leftoverFiles().contains("listener-9100-" + "0".repeat(32)), test.leftoverFiles().toString());
        }
    }

    @Test
    void findsAnIPv6ListenerAtItsExactAddress() throws Exception {
        try (TestDomain test = TestDomain.create()) {
            EndpointRegistry registry = new EndpointRegistry(test.domain());
            try (ListenerRegistration registration = registry.registerListener(at("::1", 7000))) {
                assertEquals(List.of("listener-7000-" + "0".repeat(31) + "1"), test.leftoverFiles());
                assertEquals(Optional.of(registration.record()), registry.findListener(at("::1", 7000)));
                assertEquals(Optional.empty(), registry.findListener(at("127.0.0.1", 7000)));
                assertEquals(Optional.empty(), registry.findListener(at("::2", 7000)));
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    @Test
    void ignoresButKeepsTheListenerOfAnotherDomainGid() throws Exception {
        try (TestDomain test = TestDomain.create()) {
            EndpointRegistry registry = new EndpointRegistry(test.domain());
            Path file = test.directory().resolve("listener-8080-7f000001");
            write(file, ListenerRecordDescriptor.encode(new ListenerRecord(SELF, OTHER_GID, at("127.0.0.1", 8080), 1)));
            assertEquals(Optional.empty(), registry.findListener(at("127.0.0.1", 8080)));
            assertEquals(0, registry.sweep(), "its owner is alive");
            assertTrue(Files.exists(file));
        }
    }

    @Test
    void removesTheListenerOfADeadOwnerAndFallsThroughToALiveWildcard() throws Exception {
        try (TestDomain test = TestDomain.create()) {
            EndpointRegistry registry = new EndpointRegistry(test.domain());
            write(test.directory().resolve("listener-8080-7f000001"),
                    ListenerRecordDescriptor.encode(new ListenerRecord(DEAD, test.domain().gid(), at("127.0.0.1", 8080), 1)));
            assertEquals(Optional.empty(), registry.findListener(at("127.0.0.1", 8080)));
            assertEquals(List.of(), test.leftoverFiles());

            write(test.directory().resolve("listener-8080-7f000001"),
                    ListenerRecordDescriptor.encode(new ListenerRecord(DEAD, test.domain().gid(), at("127.0.0.1", 8080), 1)));
            try (ListenerRegistration wildcard = registry.registerListener(at("0.0.0.0", 8080))) {
                assertEquals(Optional.of(wildcard.record()), registry.findListener(at("127.0.0.1", 8080)));
                assertEquals(List.of("listener-8080-00000000"), test.leftoverFiles());
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    @Test
    void closeRemovesTheRecordOnlyWhileItIsStillThisRegistrations() throws Exception {
        try (TestDomain test = TestDomain.create()) {
            EndpointRegistry registry = new EndpointRegistry(test.domain());
            ListenerRegistration first = registry.registerListener(at("127.0.0.1", 8080));
            ListenerRegistration second = registry.registerListener(at("127.0.0.1", 8080));
            assertTrue(first.record().nonce() != second.record().nonce());
            first.close();
            assertEquals(Optional.of(second.record()), registry.findListener(at("127.0.0.1", 8080)));
            assertEquals(1, test.leftoverFiles().size(), "the record was set aside and linked back: " + test.leftoverFiles());
            second.close();
            assertEquals(Optional.empty(), registry.findListener(at("127.0.0.1", 8080)));
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    @Test
    void aClaimBeforeTheWithdrawWinsAndTheClientLearnsIt() throws Exception {
        try (TestDomain test = TestDomain.create()) {
            EndpointRegistry registry = new EndpointRegistry(test.domain());
            InetSocketAddress client = at("127.0.0.1", 40000);
            InetSocketAddress server = at("127.0.0.1", 8080);
            ClientIntent intent = registry.publishIntent(client, server);
            assertEquals(List.of("intent-40000-7f000001", "intent-40000-7f000001-" + Long.toHexString(intent.record().nonce())),
                    test.leftoverFiles());

            IntentRecord claimed = registry.claimIntent(client, server).orElseThrow();
            assertEquals(intent.record(), claimed);
            assertEquals(SELF, claimed.owner());
            assertEquals(Optional.empty(), registry.claimIntent(client, server), "claimed twice");

            assertFalse(intent.withdraw());
            assertFalse(intent.withdraw(), "the outcome does not change");
            intent.close();
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    @Test
    void aWithdrawBeforeTheClaimWinsAndTheServerLearnsIt() throws Exception {
        try (TestDomain test = TestDomain.create()) {
            EndpointRegistry registry = new EndpointRegistry(test.domain());
            InetSocketAddress client = at("::1", 40000);
            InetSocketAddress server = at("::1", 8080);
            ClientIntent intent = registry.publishIntent(client, server);
            assertTrue(intent.withdraw());
            assertTrue(intent.withdraw());
            assertEquals(Optional.empty(), registry.claimIntent(client, server));
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    @Test
    void closeWithdrawsAnUndecidedIntent() throws Exception {
        try (TestDomain test = TestDomain.create()) {
            EndpointRegistry registry = new EndpointRegistry(test.domain());
            try (ClientIntent intent = registry.publishIntent(at("127.0.0.1", 40000), at("127.0.0.1", 8080))) {
                assertTrue(intent.toString().contains("undecided"), intent.toString());
            }
            assertEquals(Optional.empty(), registry.claimIntent(at("127.0.0.1", 40000), at("127.0.0.1", 8080)));
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    @Test
    void aClaimMustComeFromTheIntentsClientToItsDestination() throws Exception {
        try (TestDomain test = TestDomain.create()) {
            EndpointRegistry registry = new EndpointRegistry(test.domain());
            ClientIntent intent = registry.publishIntent(at("127.0.0.1", 40000), at("127.0.0.1", 8080));
            assertEquals(Optional.empty(), registry.claimIntent(at("127.0.0.1", 40000), at("127.0.0.1", 8081)), "other port");
            assertEquals(Optional.empty(), registry.claimIntent(at("127.0.0.1", 40000), at("127.0.0.2", 8080)), "other address");
            assertEquals(Optional.empty(), registry.claimIntent(at("127.0.0.1", 40001), at("127.0.0.1", 8080)), "other client");
            assertTrue(intent.withdraw(), "a refused claim leaves the intent to its client");
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    @Test
    void anIntentToAWildcardDestinationIsClaimedOnTheConcreteLocalAddress() throws Exception {
        try (TestDomain test = TestDomain.create()) {
            EndpointRegistry registry = new EndpointRegistry(test.domain());
            ClientIntent intent = registry.publishIntent(at("127.0.0.1", 40000), at("0.0.0.0", 8080));
            assertEquals(Optional.empty(), registry.claimIntent(at("127.0.0.1", 40000), at("127.0.0.1", 8081)));
            assertEquals(Optional.of(intent.record()), registry.claimIntent(at("127.0.0.1", 40000), at("127.0.0.1", 8080)));
            assertFalse(intent.withdraw());
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    @Test
    void aClaimIgnoresTheIntentOfADeadClientOrAnotherGid() throws Exception {
        try (TestDomain test = TestDomain.create()) {
            EndpointRegistry registry = new EndpointRegistry(test.domain());
            InetSocketAddress client = at("127.0.0.1", 40000);
            InetSocketAddress server = at("127.0.0.1", 8080);

            writeIntent(test, new IntentRecord(DEAD, test.domain().gid(), client, server, 0xABCL));
            assertEquals(Optional.empty(), registry.claimIntent(client, server));
            assertEquals(List.of("intent-40000-7f000001-abc"), test.leftoverFiles(), "the lookup name is removed at once");
            assertEquals(1, registry.sweep(), "the decision link is the sweeper's");
            assertEquals(List.of(), test.leftoverFiles());

            writeIntent(test, new IntentRecord(SELF, OTHER_GID, client, server, 0xDEFL));
            assertEquals(Optional.empty(), registry.claimIntent(client, server));
            assertEquals(2, test.leftoverFiles().size(), "a live owner's intent stays: " + test.leftoverFiles());
        }
    }

    @Test
    void sweepRemovesWhatDeadProcessesLeftAndNothingElse() throws Exception {
        try (TestDomain test = TestDomain.create()) {
            EndpointRegistry registry = new EndpointRegistry(test.domain());
            Path dir = test.directory();
            write(dir.resolve("listener-1-7f000001"),
                    ListenerRecordDescriptor.encode(new ListenerRecord(DEAD, test.domain().gid(), at("127.0.0.1", 1), 1)));
            writeIntent(test, new IntentRecord(DEAD, test.domain().gid(), at("127.0.0.1", 2), at("127.0.0.1", 1), 0x77L));
            Files.write(dir.resolve("tmp-" + DEAD.pid() + "-" + DEAD.startMillis() + "-listener-1f"), new byte[3]);
            Files.write(dir.resolve("listener-3-7f000001"), new byte[3]);
            int removable = 5;

            ListenerRegistration live = registry.registerListener(at("127.0.0.1", 4));
            ClientIntent liveIntent = registry.publishIntent(at("127.0.0.1", 5), at("127.0.0.1", 4));
            Path liveTemp = test.domain().newTempFile("listener");
            Files.write(liveTemp, new byte[3]);
            Files.write(dir.resolve("dmb-00000000deadbeef"), new byte[3]);
            Files.write(dir.resolve("tmp-not-an-identity"), new byte[3]);

            assertEquals(removable, registry.sweep());
            assertEquals(0, registry.sweep());
            assertEquals(List.of("dmb-00000000deadbeef", "intent-5-7f000001",
                    "intent-5-7f000001-" + Long.toHexString(liveIntent.record().nonce()),
                    "listener-4-7f000001", liveTemp.getFileName().toString(), "tmp-not-an-identity"), test.leftoverFiles());
            live.close();
            liveIntent.close();
        }
    }

    @Test
    void corruptOrTruncatedRecordsAreAbsentAndRemovedWhenNoLiveProcessClaimsThem() throws Exception {
        try (TestDomain test = TestDomain.create()) {
            EndpointRegistry registry = new EndpointRegistry(test.domain());
            Path listener = test.directory().resolve("listener-8080-7f000001");
            ByteBuffer valid = ListenerRecordDescriptor.encode(new ListenerRecord(SELF, test.domain().gid(), at("127.0.0.1", 8080), 1));

            for (int length : new int[] {0, 3, RecordHeaderDescriptor.OWNER_END - 1}) {
                write(listener, valid.duplicate().limit(length));
                assertEquals(Optional.empty(), registry.findListener(at("127.0.0.1", 8080)), "length " + length);
                assertFalse(Files.exists(listener), "a record too short to name its owner is removed, length " + length);
            }

            write(listener, valid.duplicate().limit(ListenerRecordDescriptor.RECORD_LENGTH - 1));
            assertEquals(Optional.empty(), registry.findListener(at("127.0.0.1", 8080)));
            assertTrue(Files.exists(listener), "a live owner still claims it");

            ByteBuffer badPort = ListenerRecordDescriptor.encode(new ListenerRecord(DEAD, test.domain().gid(), at("127.0.0.1", 8080), 1));
            badPort.putInt(ListenerRecordDescriptor.PORT_OFFSET, 0);
            write(listener, badPort);
            assertEquals(Optional.empty(), registry.findListener(at("127.0.0.1", 8080)));
            assertFalse(Files.exists(listener), "its claimed owner is dead");

            ByteBuffer badMagic = ListenerRecordDescriptor.encode(new ListenerRecord(SELF, test.domain().gid(), at("127.0.0.1", 8080), 1));
            badMagic.putLong(RecordHeaderDescriptor.MAGIC_OFFSET, 0x0102030405060708L);
            write(listener, badMagic);
            assertEquals(Optional.empty(), registry.findListener(at("127.0.0.1", 8080)));
            assertFalse(Files.exists(listener), "not a listener record, so no owner");

            ByteBuffer overlong = ByteBuffer.allocate(ListenerRecordDescriptor.RECORD_LENGTH + 8).put(valid.duplicate()).clear();
            write(listener, overlong);
            assertEquals(Optional.empty(), registry.findListener(at("127.0.0.1", 8080)));
            Files.delete(listener);

            Path intent = test.directory().resolve("intent-40000-7f000001");
            ByteBuffer intentBytes = IntentRecordDescriptor.encode(new IntentRecord(SELF, test.domain().gid(),
                    at("127.0.0.1", 40000), at("127.0.0.1", 8080), 5));
            write(intent, intentBytes.duplicate().limit(IntentRecordDescriptor.RECORD_LENGTH - 1));
            Files.createLink(test.directory().resolve("intent-40000-7f000001-5"), intent);
            assertEquals(Optional.empty(), registry.claimIntent(at("127.0.0.1", 40000), at("127.0.0.1", 8080)));
            assertEquals(2, test.leftoverFiles().size(), "nothing decided: " + test.leftoverFiles());

            write(intent, ByteBuffer.wrap(new byte[IntentRecordDescriptor.RECORD_LENGTH]));
            assertEquals(Optional.empty(), registry.claimIntent(at("127.0.0.1", 40000), at("127.0.0.1", 8080)));
            assertFalse(Files.exists(intent), "zeros claim no owner");
        }
    }

    @Test
    void aDomainThatRefusesFilesFailsPublishingWithSmcdExceptionAndLookupsFindNothing() throws Exception {
        try (TestDomain test = TestDomain.create()) {
            EndpointRegistry registry = new EndpointRegistry(test.domain());
            try (var files = Files.list(test.directory())) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(test.directory());

            SmcdException listener = assertThrows(SmcdException.class, () -> registry.registerListener(at("127.0.0.1", 8080)));
            assertEquals(SmcdReason.CNFERR, listener.reasonCode(), listener.getMessage());
            SmcdException intent = assertThrows(SmcdException.class,
                    () -> registry.publishIntent(at("127.0.0.1", 40000), at("127.0.0.1", 8080)));
            assertEquals(SmcdReason.CNFERR, intent.reasonCode(), intent.getMessage());
            SmcdException sweep = assertThrows(SmcdException.class, registry::sweep);
            assertEquals(SmcdReason.CNFERR, sweep.reasonCode());
            assertEquals(Optional.empty(), registry.findListener(at("127.0.0.1", 8080)));
            assertEquals(Optional.empty(), registry.claimIntent(at("127.0.0.1", 40000), at("127.0.0.1", 8080)));
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
        try (TestDomain test = TestDomain.create()) {
            EndpointRegistry registry = new EndpointRegistry(test.domain());
            assertMessage("bound=", () -> registry.registerListener(InetSocketAddress.createUnresolved("localhost", 80)));
            assertMessage("bound.port=0", () -> registry.registerListener(at("127.0.0.1", 0)));
            assertMessage("destination=null", () -> registry.findListener(null));
            assertMessage("clientLocal=", () -> registry.publishIntent(at("0.0.0.0", 40000), at("127.0.0.1", 8080)));
            assertMessage("acceptedLocal=", () -> registry.claimIntent(at("127.0.0.1", 40000), at("::", 8080)));
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

    private static void write(Path file, ByteBuffer bytes) throws IOException {
        Files.write(file, Arrays.copyOfRange(bytes.array(), bytes.arrayOffset(), bytes.arrayOffset() + bytes.limit()));
    }

    /** Writes an intent the way a client of another process would leave it: lookup name and decision link. */
    private static void writeIntent(TestDomain test, IntentRecord record) throws IOException {
        Path lookup = test.directory().resolve(EndpointRegistry.INTENT_PREFIX + Endpoints.key(record.clientLocal()));
        write(lookup, IntentRecordDescriptor.encode(record));
        Files.createLink(lookup.resolveSibling(lookup.getFileName() + "-" + Long.toHexString(record.nonce())), lookup);
    }
}
