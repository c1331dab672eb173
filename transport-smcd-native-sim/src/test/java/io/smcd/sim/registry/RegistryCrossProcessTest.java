package io.smcd.sim.registry;

import io.smcd.sim.testing.ChildJvm;
import io.smcd.sim.testing.TestDomain;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import static io.smcd.sim.registry.RecordDescriptorTest.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Records crossing a process boundary: seen while their owner lives, swept once it is killed, decided once between two JVMs. */
class RegistryCrossProcessTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int CROSS_PROCESS_ROUNDS = 1_000;
    private static final InetSocketAddress CLIENT = address(40000);
    private static final InetSocketAddress SERVER = address(8080);

    @Test
    void recordsOfAKilledProcessAreIgnoredAndSwept() throws Exception {
        try (TestDomain test = TestDomain.create();
             ChildJvm child = ChildJvm.start(RegistryChild.class, test.directory().toString(), "crash", "40000", "8080")) {
            child.expect("READY", TIMEOUT);
            EndpointRegistry registry = new EndpointRegistry(test.domain());
            ListenerRecord live = registry.findListener(SERVER).orElseThrow();
            assertEquals(child.pid(), live.owner().pid());
            assertEquals(test.domain().gid(), live.gid(), "the child opened the same domain");
            assertEquals(0, registry.sweep(), "everything has a live owner");
            assertEquals(4, test.leftoverFiles().size(), "listener, intent, decision link, temp: " + test.leftoverFiles());

            child.kill();

            assertEquals(Optional.empty(), registry.findListener(SERVER));
            assertFalse(Files.exists(test.directory().resolve("listener-8080-7f000001")), "removed when met");
            assertEquals(3, registry.sweep(), "intent, decision link, temp: " + test.leftoverFiles());
            assertEquals(Optional.empty(), registry.claimIntent(CLIENT, SERVER));
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    @Test
    void aServerClaimIsWhatTheClientInAnotherProcessLearnsFromItsWithdraw() throws Exception {
        try (TestDomain test = TestDomain.create();
             ChildJvm child = ChildJvm.start(RegistryChild.class, test.directory().toString(), "client", "40000", "8080")) {
            child.expect("READY", TIMEOUT);
            IntentRecord claimed = new EndpointRegistry(test.domain()).claimIntent(CLIENT, SERVER).orElseThrow();
            assertEquals(child.pid(), claimed.owner().pid());
            child.send("WITHDRAW");
            assertEquals("false", child.expect("WITHDRAWN", TIMEOUT));
            assertEquals(0, child.waitFor(TIMEOUT));
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    @Test
    void aClientWithdrawInAnotherProcessDefeatsALaterClaim() throws Exception {
        try (TestDomain test = TestDomain.create();
             ChildJvm child = ChildJvm.start(RegistryChild.class, test.directory().toString(), "client", "40000", "8080")) {
            child.expect("READY", TIMEOUT);
            assertTrue(Files.exists(test.directory().resolve("intent-40000-7f000001")));
            child.send("WITHDRAW");
            assertEquals("true", child.expect("WITHDRAWN", TIMEOUT));
            assertEquals(Optional.empty(), new EndpointRegistry(test.domain()).claimIntent(CLIENT, SERVER));
            assertEquals(0, child.waitFor(TIMEOUT));
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    /**
     * Claim and withdraw from two JVMs, the withdraw triggered by a line the test writes just before it
     * claims, after a random spin of up to 100 us so that either side can come first.
     */
    @Test
    void claimAndWithdrawFromTwoProcessesAgreeEveryRound() throws Exception {
        try (TestDomain test = TestDomain.create();
             ChildJvm child = ChildJvm.start(RegistryChild.class, test.directory().toString(), "race", "40000", "8080")) {
            child.expect("READY", TIMEOUT);
            EndpointRegistry registry = new EndpointRegistry(test.domain());
            int claims = 0;
            for (int round = 0; round < CROSS_PROCESS_ROUNDS; round++) {
                child.send("PUBLISH");
                child.expect("PUBLISHED", TIMEOUT);
                child.send("WITHDRAW");
                long until = System.nanoTime() + ThreadLocalRandom.current().nextLong(100_000);
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                boolean claimed = registry.claimIntent(CLIENT, SERVER).isPresent();
                boolean withdrawn = Boolean.parseBoolean(child.expect("WITHDRAWN", TIMEOUT));
                assertTrue(claimed != withdrawn, "round " + round + ": claimed=" + claimed + " withdrawn=" + withdrawn);
                claims += claimed ? 1 : 0;
            }
            child.send("END");
            assertEquals(0, child.waitFor(TIMEOUT));
            assertEquals(List.of(), test.leftoverFiles());
            System.out.println("cross-process claim/withdraw: " + claims + " claims, " + (CROSS_PROCESS_ROUNDS - claims)
                    + " withdrawals in " + CROSS_PROCESS_ROUNDS + " rounds");
        }
    }

    private static InetSocketAddress address(int port) {
        try {
            return at("127.0.0.1", port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
