package io.smcd.sim.registry;

import static io.smcd.sim.registry.ListenerSegmentDescriptorTest.at;
import static io.smcd.sim.registry.ListenerSegmentDescriptorTest.found;
import static io.smcd.sim.registry.ListenerSegmentDescriptorTest.publish;
import static io.smcd.sim.registry.ListenerSegmentDescriptorTest.requireFound;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smcd.sim.testing.ChildJvm;
import io.smcd.sim.testing.TestDomain;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** Segments and intents crossing a process boundary: seen while their owner lives, swept once it is killed, decided once. */
class RegistryCrossProcessTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int CROSS_PROCESS_ROUNDS = 1_000;

    @Test
    void theListenerOfAKilledProcessIsIgnoredAndSwept() throws Exception {
        InetSocketAddress server = at("127.0.0.1", 8080);
        try (TestDomain test = TestDomain.create(); EndpointRegistry registry = new EndpointRegistry(test.domain());
             ChildJvm child = ChildJvm.start(RegistryChild.class, test.directory().toString(), "listen", "40000", "8080")) {
            child.expect("READY", TIMEOUT);
            Listener live = registry.findListener(server).orElseThrow();
            assertEquals(child.pid(), live.record().owner().pid());
            assertEquals(test.domain().gid(), live.record().gid(), "the child opened the same domain");
            assertEquals(0, registry.sweep(), "everything has a live owner");
            assertEquals(2, test.leftoverFiles().size(), "listener, temp: " + test.leftoverFiles());

            child.kill();

            // A cached listener's owner is trusted alive for 100 ms after it was last confirmed; then it is checked.
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (registry.findListener(server).isPresent()) {
                assertTrue(System.nanoTime() < deadline, "the killed owner's listener is still found");
                Thread.onSpinWait();
            }
            assertFalse(Files.exists(test.directory().resolve("listener-8080-7f000001")), "removed when met");
            assertEquals(1, registry.sweep(), "the temp file: " + test.leftoverFiles());
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    @Test
    void theIntentOfAKilledClientIsFreedByTheServer() throws Exception {
        try (TestDomain test = TestDomain.create(); EndpointRegistry registry = new EndpointRegistry(test.domain())) {
            ListenerSegment listener = registry.registerListener(at("127.0.0.1", 8080));
            try (ChildJvm child = ChildJvm.start(RegistryChild.class, test.directory().toString(), "publish", "40000", "8080")) {
                child.expect("READY", TIMEOUT);
                assertEquals(child.pid(), requireFound(listener, at("127.0.0.1", 40000), at("127.0.0.1", 8080))
                        .client().pid());
                assertEquals(0, listener.sweepDeadClients());
                child.kill();
            }
            assertEquals(1, listener.sweepDeadClients());
            assertEquals(0, listener.busySlots());
            listener.close();
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    @Test
    void aServerClaimIsWhatTheClientInAnotherProcessLearns() throws Exception {
        try (TestDomain test = TestDomain.create(); EndpointRegistry registry = new EndpointRegistry(test.domain())) {
            ListenerSegment listener = registry.registerListener(at("127.0.0.1", 8080));
            try (ChildJvm child = ChildJvm.start(RegistryChild.class, test.directory().toString(), "client", "40000", "8080")) {
                child.expect("READY", TIMEOUT);
                PendingIntent pending = requireFound(listener, at("127.0.0.1", 40000), at("127.0.0.1", 8080));
                assertEquals(child.pid(), pending.client().pid());
                assertTrue(listener.claimClc(pending));
                child.send("DECIDE");
                assertEquals("CLC", child.expect("DECIDED", TIMEOUT));
                assertEquals(0, child.waitFor(TIMEOUT));
            }
            assertEquals(0, listener.busySlots());
            listener.close();
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    @Test
    void aClientWithdrawInAnotherProcessDefeatsALaterClaim() throws Exception {
        try (TestDomain test = TestDomain.create(); EndpointRegistry registry = new EndpointRegistry(test.domain())) {
            ListenerSegment listener = registry.registerListener(at("127.0.0.1", 8080));
            try (ChildJvm child = ChildJvm.start(RegistryChild.class, test.directory().toString(), "client", "40000", "8080")) {
                child.expect("READY", TIMEOUT);
                PendingIntent pending = requireFound(listener, at("127.0.0.1", 40000), at("127.0.0.1", 8080));
                child.send("DECIDE");
                assertEquals("WITHDRAWN", child.expect("DECIDED", TIMEOUT));
                assertFalse(listener.claimClc(pending));
                assertEquals(0, child.waitFor(TIMEOUT));
            }
            listener.close();
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    /**
     * Claim and withdraw from two JVMs, the withdraw triggered by a line the test writes just before it claims, after a
     * random spin of up to 100 us so that either side can come first.
     */
    @Test
    void claimAndWithdrawFromTwoProcessesAgreeEveryRound() throws Exception {
        try (TestDomain test = TestDomain.create(); EndpointRegistry registry = new EndpointRegistry(test.domain())) {
            ListenerSegment listener = registry.registerListener(at("127.0.0.1", 8080));
            int claims = 0;
            try (ChildJvm child = ChildJvm.start(RegistryChild.class, test.directory().toString(), "race", "40000", "8080")) {
                child.expect("READY", TIMEOUT);
                for (int round = 0; round < CROSS_PROCESS_ROUNDS; round++) {
                    child.send("PUBLISH");
                    child.expect("PUBLISHED", TIMEOUT);
                    PendingIntent pending = requireFound(listener, at("127.0.0.1", 40000), at("127.0.0.1", 8080));
                    child.send("DECIDE");
                    long until = System.nanoTime() + ThreadLocalRandom.current().nextLong(100_000);
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                    boolean claimed = listener.claimClc(pending);
                    boolean withdrawn = child.expect("DECIDED", TIMEOUT).equals("WITHDRAWN");
                    assertTrue(claimed != withdrawn, "round " + round + ": claimed=" + claimed + " withdrawn=" + withdrawn);
                    claims += claimed ? 1 : 0;
                }
                child.send("END");
                assertEquals(0, child.waitFor(TIMEOUT));
            }
            assertEquals(0, listener.busySlots());
            listener.close();
            assertEquals(List.of(), test.leftoverFiles());
            System.out.println("cross-process claim/withdraw: " + claims + " claims, " + (CROSS_PROCESS_ROUNDS - claims)
                    + " withdrawals in " + CROSS_PROCESS_ROUNDS + " rounds");
        }
    }
}
