package io.smcd.sim.registry;

import static io.smcd.sim.registry.ListenerSegmentDescriptorTest.at;
import static io.smcd.sim.registry.ListenerSegmentDescriptorTest.found;
import static io.smcd.sim.registry.ListenerSegmentDescriptorTest.publish;
import static io.smcd.sim.registry.ListenerSegmentDescriptorTest.requireFound;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smcd.sim.testing.TestDomain;
import java.net.InetSocketAddress;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A server claiming and a client withdrawing the same intent at the same moment: exactly one wins, and both agree. */
class RegistryClaimRaceTest {
    private static final int ROUNDS = 5_000;
    private static final long TIMEOUT_SECONDS = 30;

    @Test
    void exactlyOneOfClaimAndWithdrawWinsEveryRound() throws Exception {
        try (TestDomain test = TestDomain.create();
             EndpointRegistry server = new EndpointRegistry(test.domain());
             EndpointRegistry client = new EndpointRegistry(test.domain())) {
            // The same client endpoint every round: each intent takes the slot the one before it freed.
            InetSocketAddress clientLocal = at("127.0.0.1", 40000);
            InetSocketAddress serverLocal = at("127.0.0.1", 8080);
            ListenerSegment listener = server.registerListener(serverLocal);
            Listener view = client.findListener(serverLocal).orElseThrow();
            ExecutorService threads = Executors.newFixedThreadPool(2);
            CyclicBarrier start = new CyclicBarrier(2);
            int claims = 0;
            try {
                for (int round = 0; round < ROUNDS; round++) {
                    ClientIntent intent = publish(view, clientLocal, serverLocal, IntentOffer.NONE);
                    PendingIntent pending = requireFound(listener, clientLocal, serverLocal);
                    Future<Boolean> claim = threads.submit(() -> {
                        start.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                        return listener.claimClc(pending);
                    });
                    Future<ClientIntent.Outcome> withdraw = threads.submit(() -> {
                        start.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                        return intent.decide();
                    });
                    boolean claimed = claim.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    ClientIntent.Outcome outcome = withdraw.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    assertNotEquals(claimed, outcome == ClientIntent.Outcome.WITHDRAWN,
                            "round " + round + ": claimed=" + claimed + " outcome=" + outcome);
                    claims += claimed ? 1 : 0;
                    assertEquals(0, listener.busySlots(), "round " + round);
                }
            } finally {
                threads.shutdownNow();
                assertTrue(threads.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                listener.close();
            }
            System.out.println("claim/withdraw race: " + claims + " claims, " + (ROUNDS - claims) + " withdrawals in " + ROUNDS + " rounds");
        }
    }
}
