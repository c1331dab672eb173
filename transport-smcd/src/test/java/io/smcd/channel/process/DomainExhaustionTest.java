package io.smcd.channel.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.smcd.channel.SmcdFallbackReason;
import io.smcd.channel.SmcdMode;
import io.smcd.sim.SmcdReason;
import io.smcd.sim.testing.TestDomain;
import io.smcd.sim.testing.TinyTmpfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The domain runs out of room, then vanishes, under live connections: a real 1 MiB tmpfs (mounting needs root, as CI
 * has) holds the domain of an smcd server in another process and of this JVM's client. Connections are opened until
 * the tmpfs is full; from then on new ones fall back to TCP with {@code MEM} and deliver every byte, while the
 * established SMC-D ones carry on; once some close, new connections reuse their buffers over SMC-D without a new
 * file. Then the domain directory is removed under everyone: established connections still carry every byte (their
 * DMBs are mapped and were unlinked long ago), new ones use TCP, and both processes shut down cleanly. The DMB limit
 * ({@code -Dsmcd.maxDmbs}) behaves the same way, with {@code MAX_DMB}.
 */
@Timeout(300)
class DomainExhaustionTest {
    private static final int TMPFS_BYTES = 1 << 20;
    /** Far more than fit: each SMC-D connection holds two 64 KiB DMBs. */
    private static final int MAX_CONNECTIONS = 64;
    private static final int CHECK_BYTES = 256 * 1024;
    private static final int DMB_LIMIT = 4;

    @Test
    void aFullThenVanishedDomainFallsBackForNewConnectionsOnlyAndLosesNoByte() throws Exception {
        SplittableRandom random = new SplittableRandom(0xF0FL);
        try (TinyTmpfs tmpfs = TinyTmpfs.mount(TMPFS_BYTES)) {
            Path domain = tmpfs.path().resolve("domain");
            try (ServerProcess server = ServerProcess.smcd(domain)) {
                EventLoopGroup group = Clients.group(1, domain);
                try {
                    List<EchoConnection> smcd = new ArrayList<>();
                    EchoConnection first = null;
                    for (int i = 0; i < MAX_CONNECTIONS && first == null; i++) {
                        EchoConnection echo = EchoConnection.open(Clients.smcd(group), server.address());
                        if (echo.channel.mode().isSmcd()) {
                            smcd.add(echo);
                        } else {
                            first = echo;
                        }
                    }
                    assertTrue(first != null, "the 1 MiB tmpfs never filled up");
                    assertTrue(smcd.size() >= 2, "only " + smcd.size() + " SMC-D connections fitted");
                    assertTrue(isMem(first.channel.fallbackReason()), "the first connection that did not fit: "
                            + first.channel.fallbackReason());
                    EchoConnection second = EchoConnection.open(Clients.smcd(group), server.address());
                    assertEquals(SmcdMode.TCP, second.channel.mode(), "a connection while the tmpfs is full");
                    assertTrue(isMem(second.channel.fallbackReason()), second.channel.fallbackReason().toString());
                    checkAll(smcd, random);
                    first.check(random, CHECK_BYTES);
                    second.check(random, CHECK_BYTES);

                    smcd.remove(0).close();
                    smcd.remove(0).close();
                    List<String> before = DomainFiles.list(domain);
                    EchoConnection reused = awaitSmcd(group, server);
                    assertEquals(before, DomainFiles.list(domain), "reusing a pooled DMB creates no file");
                    reused.check(random, CHECK_BYTES);
                    smcd.add(reused);

                    DomainFiles.removeQuietly(domain);
                    checkAll(smcd, random);
                    EchoConnection afterRemoval = EchoConnection.open(Clients.smcd(group), server.address());
                    assertEquals(SmcdMode.TCP, afterRemoval.channel.mode(), "a connection after the domain vanished");
                    afterRemoval.check(random, CHECK_BYTES);
                    System.out.printf(Locale.ROOT, "1 MiB domain: %d SMC-D connections fitted; then %s and %s;"
                                    + " a freed DMB served a new SMC-D connection; after the directory vanished: %s;"
                                    + " every echo intact%n", smcd.size() + 1, first.channel.fallbackReason(),
                            second.channel.fallbackReason(), afterRemoval.channel.fallbackReason());
                    for (EchoConnection echo : smcd) {
                        echo.close();
                    }
                    first.close();
                    second.close();
                    afterRemoval.close();
                    server.quit();
                } finally {
                    Clients.shutdown(group);
                }
                ChildErrors.assertOnlyIOExceptions(server.stderr());
            }
            assertTrue(!Files.exists(domain) || DomainFiles.list(domain).isEmpty(), "left in the domain");
        }
    }

    @Test
    void atTheDmbLimitNewConnectionsFallBackWithMaxDmbAndAFreedDmbIsLentAgain() throws Exception {
        SplittableRandom random = new SplittableRandom(0xD3BL);
        try (TestDomain test = TestDomain.create();
                ServerProcess server = ServerProcess.smcd(List.of("-Dsmcd.maxDmbs=" + DMB_LIMIT), test.directory())) {
            EventLoopGroup group = Clients.group(1, test.directory());
            try {
                List<EchoConnection> smcd = new ArrayList<>();
                for (int i = 0; i < DMB_LIMIT; i++) {
                    EchoConnection echo = EchoConnection.open(Clients.smcd(group), server.address());
                    assertTrue(echo.channel.mode().isSmcd(), "connection " + i + " of " + DMB_LIMIT + ": "
                            + echo.channel.fallbackReason());
                    smcd.add(echo);
                }
                EchoConnection over = EchoConnection.open(Clients.smcd(group), server.address());
                assertEquals(SmcdMode.TCP, over.channel.mode(), "past the server's DMB limit");
                SmcdFallbackReason reason = over.channel.fallbackReason();
                assertTrue(reason.localCode() == SmcdReason.MAX_DMB || reason.peerCode() == SmcdReason.MAX_DMB,
                        reason.toString());
                over.check(random, CHECK_BYTES);
                checkAll(smcd, random);
                smcd.remove(0).close();
                EchoConnection again = awaitSmcd(group, server);
                again.check(random, CHECK_BYTES);
                smcd.add(again);
                checkAll(smcd, random);
                System.out.printf(Locale.ROOT, "DMB limit %d: the next connection fell back with %s; after a close a"
                        + " new one ran over %s%n", DMB_LIMIT, reason, again.channel.mode());
                for (EchoConnection echo : smcd) {
                    echo.close();
                }
                over.close();
                server.quit();
            } finally {
                Clients.shutdown(group);
            }
            ChildErrors.assertOnlyIOExceptions(server.stderr());
        }
    }

    private static boolean isMem(SmcdFallbackReason reason) {
        return reason != null && (reason.localCode() == SmcdReason.MEM || reason.peerCode() == SmcdReason.MEM);
    }

    private static void checkAll(List<EchoConnection> echoes, SplittableRandom random) throws InterruptedException {
        for (EchoConnection echo : echoes) {
            echo.check(random, CHECK_BYTES);
            assertTrue(echo.channel.mode().isSmcd(), "still SMC-D: " + echo.channel);
        }
    }

    /** A new connection once the closed ones' DMBs are back in their pools (both sides must have let go). */
    private static EchoConnection awaitSmcd(EventLoopGroup group, ServerProcess server) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            EchoConnection echo = EchoConnection.open(Clients.smcd(group), server.address());
            if (echo.channel.mode().isSmcd()) {
                return echo;
            }
            echo.close();
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no SMC-D connection 10 s after two closed: " + echo.channel.fallbackReason());
            }
            Thread.sleep(20);
        }
    }
}
