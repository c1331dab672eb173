package io.smcd.examples.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Server;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.ThreadPerTaskExecutor;
import io.smcd.channel.SmcdEventLoopGroup;
import io.smcd.channel.SmcdFallbackReason;
import io.smcd.channel.SmcdIoHandlerConfig;
import io.smcd.channel.SmcdMode;
import io.smcd.channel.SmcdServerSocketChannel;
import io.smcd.channel.SmcdSocketChannel;
import io.smcd.sim.testing.ChildJvm;
import io.smcd.sim.testing.TestDomain;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The greeter example in-process on a private domain (smcd and NIO clients of one smcd server) and as two child
 * processes: the answers, and the modes both sides print. Each test ends with every event loop thread stopped and the
 * domain left empty.
 */
class GreeterExamplesTest {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String SMCD = "SMC-D (SMCD_LOOPBACK)";

    private TestDomain domain;
    private TrackingThreadFactory threads;
    private EventLoopGroup serverGroup;
    private Server server;
    private final BlockingQueue<String> serverLog = new LinkedBlockingQueue<>();

    @BeforeEach
    void startServer() throws Exception {
        domain = TestDomain.create();
        threads = new TrackingThreadFactory("greeter-test");
        serverGroup = smcdGroup();
        server = GreeterServer.start(serverGroup, SmcdServerSocketChannel::new, new InetSocketAddress("127.0.0.1", 0),
                serverLog::add);
    }

    @AfterEach
    void stopServer() throws Exception {
        try {
            server.shutdownNow();
            assertTrue(server.awaitTermination(BOUND.toMillis(), TimeUnit.MILLISECONDS), "server did not terminate");
            shutdown(serverGroup);
            threads.assertAllTerminated(BOUND);
            assertEquals(List.of(), domain.leftoverFiles(), "files left in the domain");
        } finally {
            domain.close();
        }
        assertFalse(Files.exists(domain.directory()), "domain directory left: " + domain.directory());
    }

    private EventLoopGroup smcdGroup() {
        return new SmcdEventLoopGroup(1, new ThreadPerTaskExecutor(threads),
                new SmcdIoHandlerConfig().setDomainDirectory(domain.directory()));
    }

    private static void shutdown(EventLoopGroup group) throws InterruptedException {
        group.shutdownGracefully(0, 10, TimeUnit.SECONDS);
        assertTrue(group.terminationFuture().await(BOUND.toMillis()), "group did not terminate");
    }

    /** The server's next log line (it logs from its event loop), waiting up to the bound. */
    private String nextServerLog() throws InterruptedException {
        String line = serverLog.poll(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            throw new AssertionError("the server logged nothing within " + BOUND);
        }
        return line;
    }

    @Test
    void smcdClientAndServerGreetOverSmcd() throws Exception {
        EventLoopGroup clientGroup = smcdGroup();
        List<String> out = new CopyOnWriteArrayList<>();
        try {
            List<Channel> connections = GreeterClient.run(clientGroup, SmcdSocketChannel::new, "127.0.0.1",
                    server.getPort(), "smcd", 2, out::add);
            assertEquals(1, connections.size());
            assertEquals(SmcdMode.SMCD_LOOPBACK, ((SmcdSocketChannel) connections.get(0)).mode());
            Channel connection = connections.get(0);
            assertEquals(List.of("SayHello: Hello, smcd!", "StreamGreetings: Hello #1, smcd!",
                    "StreamGreetings: Hello #2, smcd!",
                    "connection " + connection.localAddress() + " -> " + connection.remoteAddress() + ": " + SMCD),
                    out);
            assertEquals("accepted " + connection.localAddress() + ": " + SMCD, nextServerLog());
        } finally {
            shutdown(clientGroup);
        }
    }

    @Test
    void nioClientGetsTcpFromTheSameSmcdServer() throws Exception {
        EventLoopGroup clientGroup = new MultiThreadIoEventLoopGroup(1, new ThreadPerTaskExecutor(threads),
                NioIoHandler.newFactory());
        List<String> out = new CopyOnWriteArrayList<>();
        try {
            List<Channel> connections = GreeterClient.run(clientGroup, NioSocketChannel::new, "127.0.0.1",
                    server.getPort(), "nio", 1, out::add);
            assertEquals(List.of("SayHello: Hello, nio!", "StreamGreetings: Hello #1, nio!"), out.subList(0, 2));
            assertTrue(out.get(2).endsWith(": TCP (nio)"), out.get(2));
            assertEquals("accepted " + connections.get(0).localAddress() + ": TCP (fallback: "
                    + SmcdFallbackReason.PEER_NO_INTENT + ")", nextServerLog());
        } finally {
            shutdown(clientGroup);
        }
    }

    @Test
    void serverAndClientProcessesGreetOverSmcdAndLeaveNothingWhenStopped() throws Exception {
        String domainFlag = domain.directory().toString();
        try (ChildJvm child = ChildJvm.start(GreeterServer.class, "--port", "0", "--threads", "1", "--domain",
                domainFlag)) {
            Matcher listening = Pattern.compile("^127\\.0\\.0\\.1:(\\d+) over smcd; Ctrl-C to stop$")
                    .matcher(child.expect("GreeterServer listening on ", BOUND));
            assertTrue(listening.find());
            String port = listening.group(1);
            try (ChildJvm client = ChildJvm.start(GreeterClient.class, "--port", port, "--name", "child",
                    "--count", "2", "--threads", "1", "--domain", domainFlag)) {
                assertEquals("Hello, child!", client.expect("SayHello: ", BOUND));
                assertEquals("Hello #1, child!", client.expect("StreamGreetings: ", BOUND));
                assertEquals("Hello #2, child!", client.expect("StreamGreetings: ", BOUND));
                assertTrue(client.expect("connection ", BOUND).endsWith(" -> /127.0.0.1:" + port + ": " + SMCD));
                assertEquals(0, client.waitFor(BOUND), client.stderr());
            }
            assertTrue(child.expect("accepted ", BOUND).endsWith(": " + SMCD));

            // What Ctrl-C does: SIGTERM runs the same shutdown hook.
            ProcessHandle.of(child.pid()).orElseThrow().destroy();
            assertEquals(143, child.waitFor(BOUND), child.stderr());
            try (var listing = Files.list(domain.directory())) {
                assertFalse(listing.anyMatch(f -> f.getFileName().toString().startsWith("member-" + child.pid() + "-")),
                        "server left its member file");
            }
            // This class's in-process server still has its listener record and statistics file; the child's must be gone.
            assertEquals(List.of("listener-" + server.getPort() + "-7f000001"), domain.leftoverFilesExceptOwnStatistics());
        }
    }

    @Test
    void badFlagsAreRefusedWithTheUsage() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> new Flags(new String[] {"--bogus", "1"}, Set.of("port"), "greeter.", "USAGE"));
        assertTrue(unknown.getMessage().startsWith("unknown flag --bogus"), unknown.getMessage());
        Flags flags = new Flags(new String[] {"--port=70000", "--transport", "tcp"}, Set.of("port", "transport"),
                "greeter.", "USAGE");
        assertThrows(IllegalArgumentException.class, () -> flags.integer("port", 50051, 65535));
        assertThrows(IllegalArgumentException.class, flags::smcdTransport);
        assertEquals(50051, new Flags(new String[0], Set.of("port"), "greeter.", "USAGE").integer("port", 50051, 65535));
    }
}
