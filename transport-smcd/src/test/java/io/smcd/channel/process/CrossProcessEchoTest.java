package io.smcd.channel.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.smcd.channel.SmcdChannelOption;
import io.smcd.channel.SmcdMode;
import io.smcd.channel.SmcdSocketChannel;
import io.smcd.sim.testing.TestDomain;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A gibibyte through an echo server in another JVM, on each ISM device: the client streams pseudo-random data with
 * Netty's backpressure (never more than its high water mark buffered), the server echoes with backpressure (stops
 * reading while it cannot write), and the CRC32C of what came back must equal that of what was sent. Both ends must
 * run on the device both were configured with. Throughput goes to stdout, never asserted.
 */
@Timeout(180)
class CrossProcessEchoTest {
    private static final long GIB = 1L << 30;

    @ParameterizedTest
    @EnumSource(value = SmcdMode.class, names = {"SMCD_LOOPBACK", "SMCD_COPY"})
    void aGibibyteEchoesIntactThroughEachDevice(SmcdMode device) throws Exception {
        try (TestDomain test = TestDomain.create()) {
            try (ServerProcess server = ServerProcess.smcd(test.directory(), "devices=" + device, "report=true")) {
                assertTrue(server.isSmcdListening(), "server registered as SMC-D listener");
                EventLoopGroup group = Clients.group(1, test.directory());
                try {
                    StreamingEchoClient client = new StreamingEchoClient(GIB, GIB, 0x5EED_0000L + device.ordinal());
                    SmcdSocketChannel channel = (SmcdSocketChannel) Clients.smcd(group)
                            .option(SmcdChannelOption.SMCD_DEVICES, List.of(device))
                            .handler(client)
                            .connect(server.address()).sync().channel();
                    assertEquals(device, channel.mode(), "client mode, fallback " + channel.fallbackReason());
                    String[] active = server.nextActive();
                    assertEquals(device.name(), active[0], "server mode, fallback " + active[1] + "/" + active[2]);
                    try {
                        client.done().get(120, TimeUnit.SECONDS);
                    } catch (TimeoutException e) {
                        throw new AssertionError("echo incomplete: " + client + "; server " + server.stats()
                                + "; child stderr:\n" + server.stderr(), e);
                    }
                    assertEquals(GIB, client.sent());
                    assertEquals(GIB, client.received());
                    assertEquals(client.sentCrc(), client.receivedCrc(), "CRC32C of the echo against what was sent");
                    double seconds = client.elapsedNanos() / 1e9;
                    System.out.printf(Locale.ROOT, "cross-process echo over %s: %d MiB each way in %.2f s, %.2f GiB/s"
                            + " per direction%n", device, GIB >> 20, seconds, (GIB / (double) (1L << 30)) / seconds);
                    channel.close().sync();
                    server.quit();
                } finally {
                    Clients.shutdown(group);
                }
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
    }
}
