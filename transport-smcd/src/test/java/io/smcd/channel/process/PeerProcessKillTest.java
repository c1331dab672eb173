package io.smcd.channel.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.smcd.channel.SmcdChannelOption;
import io.smcd.channel.SmcdMode;
import io.smcd.channel.SmcdSocketChannel;
import io.smcd.sim.DmbSweeper;
import io.smcd.sim.registry.EndpointRegistry;
import io.smcd.sim.testing.TestDomain;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The server process is SIGKILLed while a client in this JVM streams through it in both directions. Peer death must
 * close the client channel with an {@link IOException} (seen by the application in {@code exceptionCaught} or as the
 * failure of its pending writes), within a generous bound; closing releases both mappings, and since each DMB file was
 * unlinked as soon as both sides had mapped it, the dead process leaves no DMB in the domain: only its registry
 * records and member file, which the sweepers remove because their owner is dead.
 */
@Timeout(120)
class PeerProcessKillTest {
    private static final long KILL_AFTER = 32L << 20;

    @ParameterizedTest
    @EnumSource(value = SmcdMode.class, names = {"SMCD_LOOPBACK", "SMCD_COPY"})
    void killingTheServerProcessClosesTheClientChannelWithAnIOException(SmcdMode device) throws Exception {
        try (TestDomain test = TestDomain.create()) {
            try (ServerProcess server = ServerProcess.smcd(test.directory(), "devices=" + device, "report=true")) {
                EventLoopGroup group = Clients.group(1, test.directory());
                try {
                    StreamingEchoClient client = new StreamingEchoClient(Long.MAX_VALUE, KILL_AFTER, 0xC0FFEEL);
                    SmcdSocketChannel channel = (SmcdSocketChannel) Clients.smcd(group)
                            .option(SmcdChannelOption.SMCD_DEVICES, List.of(device))
                            .handler(client)
                            .connect(server.address()).sync().channel();
                    assertEquals(device, channel.mode(), "client, fallback " + channel.fallbackReason());
                    assertEquals(device.name(), server.nextActive()[0]);
                    try {
                        client.reached().get(60, TimeUnit.SECONDS);
                    } catch (TimeoutException e) {
                        throw new AssertionError("stream stalled: " + client + "\nchild stderr:\n" + server.stderr(), e);
                    }
                    long receivedAtKill = client.received();
                    long killed = System.nanoTime();
                    server.child().kill();

                    try {
                        client.closed().get(30, TimeUnit.SECONDS);
                    } catch (TimeoutException e) {
                        throw new AssertionError("client channel still open 30 s after its peer was SIGKILLed: " + channel
                                + " " + client, e);
                    }
                    double detectedMillis = (System.nanoTime() - killed) / 1e6;
                    assertFalse(channel.isOpen());
                    List<Throwable> seen = new ArrayList<>(client.exceptionsCaught());
                    seen.addAll(client.writeFailures());
                    List<Throwable> peerDeath = seen.stream()
                            .filter(t -> t instanceof IOException && !(t instanceof ClosedChannelException))
                            .collect(Collectors.toList());
                    System.out.printf(Locale.ROOT, "peer SIGKILL over %s: killed after %d MiB echoed, channel closed %.1f ms"
                                    + " later; exceptionCaught %s; first write failure %s%n", device, receivedAtKill >> 20,
                            detectedMillis, client.exceptionsCaught(),
                            client.writeFailures().isEmpty() ? "none" : client.writeFailures().get(0));
                    assertFalse(peerDeath.isEmpty(), "the channel closed without an IOException: exceptionCaught "
                            + client.exceptionsCaught() + ", write failures " + client.writeFailures());
                } finally {
                    Clients.shutdown(group);
                }
            }
            List<String> dmbs = test.leftoverFiles().stream().filter(f -> f.startsWith("dmb-")).collect(Collectors.toList());
            assertEquals(List.of(), dmbs, "DMB files left after the peer died and the survivor closed");
            assertEquals(0, DmbSweeper.sweep(test.domain()), "attaching had unlinked every DMB file already");
            int records = new EndpointRegistry(test.domain()).sweep();
            assertTrue(records <= 1, "at most the dead server's listener record to sweep, swept " + records);
            assertEquals(List.of(), test.leftoverFiles(), "after the sweep");
        }
    }

    /**
     * The same for an idle connection: its event loop sleeps in the selector with the doorbell armed, so only the
     * TCP socket's end tells it that the peer died; the read that follows must fail with an {@link IOException}.
     */
    @ParameterizedTest
    @EnumSource(value = SmcdMode.class, names = {"SMCD_LOOPBACK", "SMCD_COPY"})
    void killingTheServerProcessClosesAnIdleClientChannelWithAnIOException(SmcdMode device) throws Exception {
        try (TestDomain test = TestDomain.create()) {
            try (ServerProcess server = ServerProcess.smcd(test.directory(), "devices=" + device, "report=true")) {
                EventLoopGroup group = Clients.group(1, test.directory());
                try {
                    CollectingHandler collector = new CollectingHandler();
                    SmcdSocketChannel channel = (SmcdSocketChannel) Clients.smcd(group)
                            .option(SmcdChannelOption.SMCD_DEVICES, List.of(device))
                            .handler(collector)
                            .connect(server.address()).sync().channel();
                    assertEquals(device, channel.mode(), "client, fallback " + channel.fallbackReason());
                    assertEquals(device.name(), server.nextActive()[0]);
                    channel.writeAndFlush(Unpooled.wrappedBuffer(PingExchange.PING)).sync();
                    collector.awaitBytes(PingExchange.PING.length, PingExchange.BOUND);
                    long killed = System.nanoTime();
                    server.child().kill();

                    collector.awaitInactive(Duration.ofSeconds(30));
                    double detectedMillis = (System.nanoTime() - killed) / 1e6;
                    System.out.printf(Locale.ROOT, "peer SIGKILL of an idle connection over %s: channel closed %.1f ms"
                            + " later; exceptionCaught %s%n", device, detectedMillis, collector.exceptions());
                    assertFalse(channel.isOpen());
                    assertTrue(collector.exceptions().stream().anyMatch(t -> t instanceof IOException),
                            "exceptionCaught saw no IOException: " + collector.exceptions());
                } finally {
                    Clients.shutdown(group);
                }
            }
            List<String> dmbs = test.leftoverFiles().stream().filter(f -> f.startsWith("dmb-")).collect(Collectors.toList());
            assertEquals(List.of(), dmbs, "DMB files left after the peer died and the survivor closed");
            assertEquals(0, DmbSweeper.sweep(test.domain()), "attaching had unlinked every DMB file already");
            new EndpointRegistry(test.domain()).sweep();
            assertEquals(List.of(), test.leftoverFiles(), "after the sweep");
        }
    }
}
