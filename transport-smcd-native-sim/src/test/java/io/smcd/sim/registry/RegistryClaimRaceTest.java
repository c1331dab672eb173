package io.smcd.sim.registry;

import io.smcd.sim.testing.TestDomain;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.smcd.sim.registry.RecordDescriptorTest.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A server claiming and a client withdrawing the same intent at the same moment: exactly one wins, and both agree. */
class RegistryClaimRaceTest {
    private static final int ROUNDS = 5_000;
    private static final long TIMEOUT_SECONDS = 30;

    @Test
    void exactlyOneOfClaimAndWithdrawWinsEveryRound() throws Exception {
        try (TestDomain test = TestDomain.create()) {
            EndpointRegistry server = new EndpointRegistry(test.domain());
            EndpointRegistry client = new EndpointRegistry(test.domain());
            // The same client endpoint every round: each intent reuses the lookup name of the one before.
            InetSocketAddress clientLocal = at("127.0.0.1", 40000);
            InetSocketAddress serverLocal = at("127.0.0.1", 8080);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            CyclicBarrier start = new CyclicBarrier(2);
            int claims = 0;
            try {
                for (int round = 0; round < ROUNDS; round++) {
                    ClientIntent intent = client.publishIntent(clientLocal, serverLocal);
                    Future<Optional<IntentRecord>> claim = threads.submit(() -> {
                        start.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                        return server.claimIntent(clientLocal, serverLocal);
                    });
                    Future<Boolean> withdraw = threads.submit(() -> {
                        start.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                        return intent.withdraw();
                    });
                    Optional<IntentRecord> claimed = claim.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    boolean withdrawn = withdraw.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    assertNotEquals(claimed.isPresent(), withdrawn, "round " + round + ": claimed=" + claimed + " withdrawn=" + withdrawn);
                    if (claimed.isPresent()) {
                        assertEquals(intent.record(), claimed.get(), "round " + round);
                        claims++;
                    }
                    assertEquals(List.of(), test.leftoverFiles(), "round " + round);
                }
            } finally {
                threads.shutdownNow();
                assertTrue(threads.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            System.out.println("claim/withdraw race: " + claims + " claims, " + (ROUNDS - claims) + " withdrawals in " + ROUNDS + " rounds");
        }
    }
}
