package io.smcd.channel.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.smcd.channel.SmcdMode;
import io.smcd.channel.SmcdSocketChannel;
import io.smcd.sim.testing.TestDomain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Many connections of one pair of processes, first one after the other, then in concurrent waves, each a complete
 * {@link PingExchange} checked byte for byte. Their DMBs come from the pair's link group: the test JVM maps a DMB file
 * only when the group has no idle one of its own or its peer's, so the number of distinct DMB files ever mapped here
 * (seen in {@code /proc/self/maps}, where an unlinked mapping stays listed) is bounded by the connections open at
 * once, not by the connections made. When the group shuts down, every one of those mappings is gone.
 */
@Timeout(180)
class LinkGroupReuseAcrossProcessesTest {
    private static final int SEQUENTIAL = 200;
    private static final int WAVES = 5;
    private static final int WAVE = 16;
    /** One own RMB and one peer DMB per open connection, and as much again for any still draining at the next lease. */
    private static final int PER_OPEN_CONNECTION = 4;

    @ParameterizedTest
    @EnumSource(value = SmcdMode.class, names = {"SMCD_LOOPBACK", "SMCD_COPY"})
    void connectionsOfOnePairReuseTheirDmbsAndReleaseThemAtShutdown(SmcdMode device) throws Exception {
        try (TestDomain test = TestDomain.create();
                ServerProcess server = ServerProcess.smcd(test.directory(), "devices=" + device)) {
            EventLoopGroup group = Clients.group(2, test.directory());
            try {
                for (int i = 0; i < SEQUENTIAL; i++) {
                    assertMode(device, exchange(group, server));
                }
                Set<String> sequential = mappedDmbs(test.directory());
                for (int wave = 0; wave < WAVES; wave++) {
                    List<CompletableFuture<SmcdSocketChannel>> exchanges = new ArrayList<>();
                    for (int i = 0; i < WAVE; i++) {
                        exchanges.add(CompletableFuture.supplyAsync(() -> exchangeUnchecked(group, server)));
                    }
                    for (CompletableFuture<SmcdSocketChannel> exchange : exchanges) {
                        assertMode(device, exchange.get(PingExchange.BOUND.toSeconds(), TimeUnit.SECONDS));
                    }
                }
                Set<String> all = mappedDmbs(test.directory());
                System.out.printf(Locale.ROOT, "link-group reuse over %s: %d sequential connections mapped %d DMB files,"
                        + " %d more in %d waves of %d%n", device, SEQUENTIAL, sequential.size(), all.size() - sequential.size(),
                        WAVES, WAVE);
                assertTrue(sequential.size() <= PER_OPEN_CONNECTION,
                        SEQUENTIAL + " sequential connections mapped " + sequential);
                assertTrue(all.size() <= PER_OPEN_CONNECTION * (WAVE + 1),
                        WAVES + " waves of " + WAVE + " after the sequential ones mapped " + all.size() + " DMB files");
                assertEquals(SEQUENTIAL + WAVES * WAVE, server.stats().get(device.name()), "server-side " + device + " count");
            } finally {
                Clients.shutdown(group);
            }
            assertEquals(Set.of(), mappedDmbs(test.directory()), "DMB mappings left after the group shut down");
        }
    }

    /** One checked exchange; the server offers only the device under test, so that is what the channel must use. */
    private static SmcdSocketChannel exchange(EventLoopGroup group, ServerProcess server) throws Exception {
        return PingExchange.run(group, SmcdSocketChannel.class, server, new byte[0]);
    }

    private static SmcdSocketChannel exchangeUnchecked(EventLoopGroup group, ServerProcess server) {
        try {
            return exchange(group, server);
        } catch (Exception e) {
            throw new AssertionError("exchange failed", e);
        }
    }

    private static void assertMode(SmcdMode device, SmcdSocketChannel channel) {
        assertEquals(device, channel.mode(), "fallback " + channel.fallbackReason());
    }

    /**
     * The DMB files of {@code domain} this process maps now, by the name each mapping shows: {@code dmb-<token>}, or,
     * for an own RMB, the {@code tmp-<creator>-dmb-<token>} name it was created under; unlinked or not.
     */
    private static Set<String> mappedDmbs(Path domain) throws IOException {
        String directory = domain + "/";
        Set<String> files = new TreeSet<>();
        for (String line : Files.readAllLines(Paths.get("/proc/self/maps"))) {
            int at = line.indexOf(directory);
            if (at >= 0) {
                String name = line.substring(at + directory.length()).replace(" (deleted)", "");
                if (name.startsWith("dmb-") || name.startsWith("tmp-") && name.contains("-dmb-")) {
                    files.add(name);
                }
            }
        }
        return files;
    }
}
