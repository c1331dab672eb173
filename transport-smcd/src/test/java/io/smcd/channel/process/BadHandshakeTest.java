package io.smcd.channel.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smcd.channel.process.RawClcClient.Kind;
import io.smcd.channel.process.RawClcClient.Outcome;
import io.smcd.channel.process.RawClcClient.Reaction;
import io.smcd.sim.IsmDevice;
import io.smcd.sim.LoopbackIsmDevice;
import io.smcd.sim.lgr.LinkGroups;
import io.smcd.sim.registry.EndpointRegistry;
import io.smcd.sim.testing.ChildJvm;
import io.smcd.sim.testing.TestDomain;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Malformed, truncated, oversized, out-of-order, replayed, slow and stalled CLC handshakes from raw sockets
 * ({@link RawClcClient}), {@value #IN_FLIGHT} at a time, against an smcd echo server in another process with a
 * {@value #CLC_TIMEOUT_MILLIS} ms CLC timeout. Each must be settled by the server (a Decline, a Confirm for a valid
 * Accept, or the connection's end) within the timeout plus a margin, while well-behaved smcd clients in a third
 * process keep connecting and echoing over SMC-D; afterwards the server holds no connection, has failed with nothing but IOExceptions, and
 * exits cleanly.
 */
@Timeout(600)
class BadHandshakeTest {
    private static final int HANDSHAKES = 400;
    private static final int IN_FLIGHT = 16;
    private static final int CLC_TIMEOUT_MILLIS = 300;
    /** The reactions a server may show to each kind; anything else is a defect. */
    private static final Map<Kind, Set<Reaction>> ALLOWED = allowed();

    @Test
    void badHandshakesAreSettledWithinTheClcTimeoutWhileGoodClientsAreServed() throws Exception {
        int handshakes = FaultScale.times(HANDSHAKES);
        try (TestDomain test = TestDomain.create();
                LinkGroups linkGroups = new LinkGroups(test.domain())) {
            try (ServerProcess server = ServerProcess.smcd(test.directory(), "clcTimeout=" + CLC_TIMEOUT_MILLIS,
                    "threads=2")) {
                List<IsmDevice> devices = List.of(new LoopbackIsmDevice(test.domain()));
                RawClcClient raw = new RawClcClient(new EndpointRegistry(test.domain()), linkGroups, devices,
                        server.address(), CLC_TIMEOUT_MILLIS);
                ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT);
                // The good clients live in a process of their own: a link group is one per pair of processes, and
                // this JVM's raw handshakes keep one of their own with the server.
                try (ChildJvm good = ChildJvm.start(PingLoopMain.class, "domain=" + test.directory(),
                        "port=" + server.address().getPort())) {
                    assertEquals(Reaction.CONFIRMED, raw.run(Kind.SLOW_VALID, new SplittableRandom(1)).reaction(),
                            "a valid first-contact Accept");
                    good.expect("READY", ServerProcess.BOUND);
                    List<Future<Outcome>> bad = new ArrayList<>();
                    for (int i = 0; i < handshakes; i++) {
                        Kind kind = Kind.values()[i % Kind.values().length];
                        SplittableRandom random = new SplittableRandom(0xC1C0L + i);
                        bad.add(pool.submit(() -> raw.run(kind, random)));
                    }
                    Map<String, Integer> seen = new TreeMap<>();
                    long slowest = 0;
                    for (Future<Outcome> f : bad) {
                        Outcome outcome = f.get(5, TimeUnit.MINUTES);
                        assertTrue(ALLOWED.get(outcome.kind()).contains(outcome.reaction()), outcome
                                + ": not a reaction the server may show to " + outcome.kind());
                        // SILENT is the server running SMC-D after a valid Accept: it lasts until the read gives up.
                        assertTrue(outcome.reaction() == Reaction.SILENT || outcome.millis() <= raw.bound(),
                                outcome + ": settled later than " + raw.bound() + " ms");
                        seen.merge(outcome.kind() + "->" + outcome.reaction(), 1, Integer::sum);
                        slowest = Math.max(slowest, outcome.millis());
                    }
                    good.send("STOP");
                    String[] served = good.expect("PINGS ", ServerProcess.BOUND).split(" ", 3);
                    assertEquals("-", served[2], "good clients that ran over TCP or echoed wrongly");
                    assertTrue(Long.parseLong(served[0]) > 0, "no good client was served while the bad handshakes ran");
                    assertTrue(Long.parseLong(served[1]) < TimeUnit.SECONDS.toNanos(10),
                            "a good client took " + Long.parseLong(served[1]) / 1e6 + " ms");

                    Map<String, Long> stats = awaitNoConnection(server);
                    Map<String, Integer> thrown = ChildErrors.assertOnlyIOExceptions(server.stderr());
                    System.out.printf(Locale.ROOT, "%d bad handshakes, %d in flight, CLC timeout %d ms: %s; slowest"
                                    + " settled after %d ms; meanwhile %d good SMC-D connections echoed (slowest %.1f ms);"
                                    + " server: %s, threw %s%n", handshakes, IN_FLIGHT, CLC_TIMEOUT_MILLIS, seen, slowest,
                            Long.parseLong(served[0]), Long.parseLong(served[1]) / 1e6, stats, thrown);
                    server.quit();
                } finally {
                    pool.shutdownNow();
                }
            }
        }
    }

    /** The server's counters once every connection it accepted has closed. */
    private static Map<String, Long> awaitNoConnection(ServerProcess server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            Map<String, Long> stats = server.stats();
            if (stats.get("active") == 0) {
                return stats;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the server still holds connections 30 s after the last bad handshake: " + stats);
            }
            Thread.sleep(50);
        }
    }

    private static Map<Kind, Set<Reaction>> allowed() {
        Set<Reaction> refused = EnumSet.of(Reaction.DECLINED, Reaction.CLOSED);
        Map<Kind, Set<Reaction>> allowed = new TreeMap<>();
        for (Kind kind : Kind.values()) {
            allowed.put(kind, refused);
        }
        // A valid Accept: Confirm for an RMB new to the server, SMC-D at once for one it knows.
        allowed.put(Kind.SLOW_VALID, EnumSet.of(Reaction.CONFIRMED, Reaction.SILENT));
        // An earlier Accept names an RMB of this client's own: refused once the client lent it again (a newer
        // generation), accepted while its lease is still the one named, which harms nobody but the client itself.
        Set<Reaction> any = EnumSet.of(Reaction.DECLINED, Reaction.CLOSED, Reaction.CONFIRMED, Reaction.SILENT);
        allowed.put(Kind.STALE_ACCEPT, any);
        // A flipped byte may land where the server reads nothing (reserved bytes, as in the kernel's CLC).
        allowed.put(Kind.FLIPPED, any);
        allowed.put(Kind.DECLINE, EnumSet.of(Reaction.ECHOED));
        return allowed;
    }
}
