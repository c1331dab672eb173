package io.smcd.channel.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.smcd.channel.SmcdEventLoopGroup;
import io.smcd.channel.SmcdIoHandlerConfig;
import io.smcd.channel.SmcdMode;
import io.smcd.channel.SmcdSocketChannel;
import io.smcd.sim.SharedFiles;
import io.smcd.sim.SharedWords;
import io.smcd.sim.SmcdReason;
import io.smcd.sim.registry.EndpointRegistry;
import io.smcd.sim.registry.ListenerSegment;
import io.smcd.sim.registry.ListenerSegmentDescriptor;
import io.smcd.sim.testing.TestDomain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The four combinations of smcd and plain Netty NIO across two processes, and the guarantee that a plain peer never
 * sees a CLC byte, also with server-speaks-first protocols. Every exchange ends with a half-close, so "exactly these
 * bytes" is checked up to the end of the stream, without waiting for bytes that should not come: the client receives
 * the greeting (if any), sends a ping, receives the echo, shuts its output down, and the server's close ends the
 * stream. A CLC message on either side would show as extra bytes before the echo or before the end of the stream.
 */
@Timeout(120)
class NegotiationAcrossProcessesTest {
    @Test
    void smcdClientAndSmcdServerUseSmcd() throws Exception {
        try (TestDomain test = TestDomain.create();
             ServerProcess server = ServerProcess.smcd(test.directory(), "report=true")) {
            assertTrue(server.isSmcdListening());
            EventLoopGroup group = Clients.group(1, test.directory());
            try {
                SmcdSocketChannel channel = PingExchange.run(group, SmcdSocketChannel.class, server, new byte[0]);
                assertEquals(SmcdMode.SMCD_LOOPBACK, channel.mode(), "client, fallback " + channel.fallbackReason());
                assertNull(channel.fallbackReason());
                assertEquals(List.of(SmcdMode.SMCD_LOOPBACK.name(), "-", "-"), Arrays.asList(server.nextActive()));
                server.quit();
            } finally {
                Clients.shutdown(group);
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    @Test
    void smcdClientToPlainNioServerUsesTcpWithPeerNoSmc() throws Exception {
        try (TestDomain test = TestDomain.create();
             ServerProcess server = ServerProcess.start("kind=nio")) {
            assertFalse(server.isSmcdListening());
            EventLoopGroup group = Clients.group(1, test.directory());
            try {
                SmcdSocketChannel channel = PingExchange.run(group, SmcdSocketChannel.class, server, new byte[0]);
                assertEquals(SmcdMode.TCP, channel.mode());
                assertNotNull(channel.fallbackReason());
                assertEquals(SmcdReason.PEERNOSMC, channel.fallbackReason().localCode(), channel.fallbackReason().toString());
                assertEquals(SmcdReason.NONE, channel.fallbackReason().peerCode(), channel.fallbackReason().toString());
                server.quit();
            } finally {
                Clients.shutdown(group);
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    @Test
    void plainNioClientToSmcdServerUsesTcp() throws Exception {
        try (TestDomain test = TestDomain.create();
             ServerProcess server = ServerProcess.smcd(test.directory(), "report=true")) {
            assertTrue(server.isSmcdListening());
            EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            try {
                PingExchange.run(group, NioSocketChannel.class, server, new byte[0]);
                assertEquals(List.of(SmcdMode.TCP.name(), "PEERNOSMC", "NONE"), Arrays.asList(server.nextActive()));
                server.quit();
            } finally {
                Clients.shutdown(group);
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    @Test
    void smcdClientGetsExactlyTheGreetingOfAPlainServerThatSpeaksFirst() throws Exception {
        byte[] greeting = greeting();
        try (TestDomain test = TestDomain.create();
             ServerProcess server = ServerProcess.start("kind=nio", "greeting=" + new String(greeting, StandardCharsets.US_ASCII))) {
            EventLoopGroup group = Clients.group(1, test.directory());
            try {
                SmcdSocketChannel channel = PingExchange.run(group, SmcdSocketChannel.class, server, greeting);
                assertEquals(SmcdMode.TCP, channel.mode());
                assertEquals(SmcdReason.PEERNOSMC, channel.fallbackReason().localCode(), channel.fallbackReason().toString());
                server.quit();
            } finally {
                Clients.shutdown(group);
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    /**
     * The harder case of step 4 of the negotiation: the destination has a listener record (a stale one, say, whose port
     * a plain server took over), so the smcd client publishes an intent and waits for CLC, but the plain server speaks
     * first without claiming it. The client must withdraw its intent and hand exactly the greeting to the application.
     */
    @Test
    void smcdClientGetsExactlyTheGreetingOfAPlainServerBehindAListenerRecord() throws Exception {
        byte[] greeting = greeting();
        try (TestDomain test = TestDomain.create();
             ServerProcess server = ServerProcess.start("kind=nio", "greeting=" + new String(greeting, StandardCharsets.US_ASCII))) {
            EventLoopGroup group = Clients.group(1, test.directory());
            try (EndpointRegistry registry = new EndpointRegistry(test.domain());
                 ListenerSegment record = registry.registerListener(server.address())) {
                SmcdSocketChannel channel = PingExchange.run(group, SmcdSocketChannel.class, server, greeting);
                assertEquals(SmcdMode.TCP, channel.mode());
                assertEquals(SmcdReason.PEERNOSMC, channel.fallbackReason().localCode(), channel.fallbackReason().toString());
                server.quit();
            } finally {
                Clients.shutdown(group);
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    /**
     * As above with a plain server that waits for the client: no byte arrives, so the client gives up waiting for CLC
     * after its timeout, withdraws its intent, and the connection continues as TCP with nothing lost or added.
     */
    @Test
    void smcdClientFallsBackAfterTheClcTimeoutToASilentPlainServerBehindAListenerRecord() throws Exception {
        try (TestDomain test = TestDomain.create();
             ServerProcess server = ServerProcess.start("kind=nio")) {
            EventLoopGroup group = new SmcdEventLoopGroup(1,
                    new SmcdIoHandlerConfig().setDomainDirectory(test.directory()).setClcTimeoutMillis(200));
            try (EndpointRegistry registry = new EndpointRegistry(test.domain());
                 ListenerSegment record = registry.registerListener(server.address())) {
                SmcdSocketChannel channel = PingExchange.run(group, SmcdSocketChannel.class, server, new byte[0]);
                assertEquals(SmcdMode.TCP, channel.mode());
                assertEquals(SmcdReason.TIMEOUT_CLC, channel.fallbackReason().localCode(), channel.fallbackReason().toString());
                server.quit();
            } finally {
                Clients.shutdown(group);
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    /**
     * As above, but another process of the user forges the state of the client's slot while it waits (a kind no server
     * writes): no byte came by the timeout, so the server neither proposed nor joined, and the client falls back to TCP
     * with {@code SYNCERR} instead of resetting the connection.
     */
    @Test
    void smcdClientFallsBackWhenItsSlotWasForgedAndNoByteCame() throws Exception {
        try (TestDomain test = TestDomain.create();
             ServerProcess server = ServerProcess.start("kind=nio")) {
            EventLoopGroup group = new SmcdEventLoopGroup(1,
                    new SmcdIoHandlerConfig().setDomainDirectory(test.directory()).setClcTimeoutMillis(300));
            try (EndpointRegistry registry = new EndpointRegistry(test.domain());
                 ListenerSegment record = registry.registerListener(server.address())) {
                CompletableFuture<Long> forged = CompletableFuture.supplyAsync(() -> forgePendingSlot(test.directory()));
                SmcdSocketChannel channel = PingExchange.run(group, SmcdSocketChannel.class, server, new byte[0]);
                assertNotNull(forged.get(10, TimeUnit.SECONDS));
                assertEquals(SmcdMode.TCP, channel.mode());
                assertEquals(SmcdReason.SYNCERR, channel.fallbackReason().localCode(), channel.fallbackReason().toString());
                server.quit();
            } finally {
                Clients.shutdown(group);
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    /** Waits for a PENDING slot in the domain's listener segment and overwrites its kind; returns the forged word. */
    private static long forgePendingSlot(Path domain) {
        try (FileChannel file = FileChannel.open(DomainFiles.listenerSegment(domain), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            MappedByteBuffer map = file.map(FileChannel.MapMode.READ_WRITE, 0, file.size());
            try {
                map.order(SharedWords.ORDER);
                int slots = (int) ((file.size() - ListenerSegmentDescriptor.HEADER_LENGTH)
                        / ListenerSegmentDescriptor.SLOT_LENGTH);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (System.nanoTime() - deadline < 0) {
                    for (int slot = 0; slot < slots; slot++) {
                        int at = ListenerSegmentDescriptor.slotOffset(slot) + ListenerSegmentDescriptor.SLOT_STATE;
                        long state = map.getLong(at);
                        if (ListenerSegmentDescriptor.kind(state) == ListenerSegmentDescriptor.PENDING) {
                            // Kind 7: defined by no one.
                            long forged = ListenerSegmentDescriptor.state(7, ListenerSegmentDescriptor.sequence(state));
                            map.putLong(at, forged);
                            return forged;
                        }
                    }
                    Thread.onSpinWait();
                }
                throw new AssertionError("no intent was published within 10 s");
            } finally {
                SharedFiles.unmap(map);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void smcdClientGetsExactlyTheGreetingOfAnSmcdServerThatSpeaksFirst() throws Exception {
        byte[] greeting = greeting();
        try (TestDomain test = TestDomain.create();
             ServerProcess server = ServerProcess.smcd(test.directory(), "report=true",
                     "greeting=" + new String(greeting, StandardCharsets.US_ASCII))) {
            EventLoopGroup group = Clients.group(1, test.directory());
            try {
                SmcdSocketChannel channel = PingExchange.run(group, SmcdSocketChannel.class, server, greeting);
                assertEquals(SmcdMode.SMCD_LOOPBACK, channel.mode(), "client, fallback " + channel.fallbackReason());
                assertEquals(List.of(SmcdMode.SMCD_LOOPBACK.name(), "-", "-"), Arrays.asList(server.nextActive()));
                server.quit();
            } finally {
                Clients.shutdown(group);
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    /**
     * A blocking {@link Socket} client of a protocol where the server speaks first, against an smcd server whose
     * {@code channelActive} writes the greeting: the socket must read exactly the greeting, then exactly its echo,
     * then the end of the stream. Had the server spoken CLC first, the first bytes would be a CLC Proposal.
     */
    @Test
    void plainSocketClientWaitingForTheGreetingOfAnSmcdServerGetsExactlyIt() throws Exception {
        byte[] greeting = greeting();
        try (TestDomain test = TestDomain.create();
             ServerProcess server = ServerProcess.smcd(test.directory(), "report=true",
                     "greeting=" + new String(greeting, StandardCharsets.US_ASCII))) {
            assertTrue(server.isSmcdListening());
            try (Socket socket = new Socket()) {
                socket.setSoTimeout((int) PingExchange.BOUND.toMillis());
                socket.connect(server.address(), (int) PingExchange.BOUND.toMillis());
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                assertArrayEquals(greeting, in.readNBytes(greeting.length), "the server's first bytes");
                out.write(PingExchange.PING);
                out.flush();
                assertArrayEquals(PingExchange.PING, in.readNBytes(PingExchange.PING.length), "the echo");
                socket.shutdownOutput();
                ByteArrayOutputStream rest = new ByteArrayOutputStream();
                in.transferTo(rest);
                assertEquals(0, rest.size(), "nothing after the echo: " + CollectingHandler.printable(rest.toByteArray()));
            }
            assertEquals(List.of(SmcdMode.TCP.name(), "PEERNOSMC", "NONE"), Arrays.asList(server.nextActive()));
            server.quit();
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    private static byte[] greeting() {
        return ("220 plain greeting " + UUID.randomUUID() + " ready\r\n").getBytes(StandardCharsets.US_ASCII);
    }

}
