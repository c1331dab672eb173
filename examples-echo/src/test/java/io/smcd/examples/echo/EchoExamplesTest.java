package io.smcd.examples.echo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
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
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The echo example over SMC-D and over TCP, in-process on a private domain and as child processes: every echoed byte
 * is checked by the client itself, and each test ends with every thread stopped and the domain left empty.
 */
class EchoExamplesTest {
    private static final Duration SHUTDOWN = Duration.ofSeconds(10);
    private static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress("127.0.0.1", 0);

    private TestDomain domain;
    private TrackingThreadFactory threads;

    @BeforeEach
    void openDomain() throws Exception {
        domain = TestDomain.create();
        threads = new TrackingThreadFactory("echo-test");
    }

    @AfterEach
    void checkCleanedUp() throws Exception {
        try {
            threads.assertAllTerminated(SHUTDOWN);
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

    private EventLoopGroup nioGroup() {
        return new MultiThreadIoEventLoopGroup(1, new ThreadPerTaskExecutor(threads), NioIoHandler.newFactory());
    }

    private static void shutdown(EventLoopGroup... groups) throws InterruptedException {
        for (EventLoopGroup group : groups) {
            group.shutdownGracefully(0, SHUTDOWN.toSeconds(), TimeUnit.SECONDS);
        }
        for (EventLoopGroup group : groups) {
            assertTrue(group.terminationFuture().await(SHUTDOWN.toMillis()), "group did not terminate");
        }
    }

    private static EchoClient.Options smallRun(Channel server) {
        return new EchoClient.Options()
                .remote(server.localAddress())
                .warmupPings(20)
                .pings(200)
                // The byte budget ends streaming; the time only bounds a broken run.
                .streamBytes(3 * 1024 * 1024 + 12_345)
                .streamDuration(Duration.ofSeconds(60))
                .chunkSize(20_000);
    }

    @Test
    void smcdClientAndSmcdServerUseSmcdAndEchoEveryByte() throws Exception {
        EventLoopGroup serverGroup = smcdGroup();
        EventLoopGroup clientGroup = smcdGroup();
        try {
            Channel server = EchoServer.bind(serverGroup, SmcdServerSocketChannel.class, LOOPBACK_ANY_PORT, false);
            assertTrue(((SmcdServerSocketChannel) server).isSmcdListening());
            List<EchoClient.ConnectionReport> reports = EchoClient.run(clientGroup, SmcdSocketChannel.class,
                    smallRun(server).connections(2));
            assertEquals(2, reports.size());
            for (EchoClient.ConnectionReport report : reports) {
                assertEquals(SmcdMode.SMCD_LOOPBACK, report.mode(), report.toString());
                assertNull(report.fallbackReason());
                assertEquals("SMC-D (SMCD_LOOPBACK)", report.modeDescription());
                assertEquals(200, report.pings());
                assertEquals(3 * 1024 * 1024 + 12_345, report.streamedBytes());
                assertTrue(report.toString().contains("SMC-D (SMCD_LOOPBACK)"), report.toString());
                assertTrue(report.toString().contains("ping-pong 200 x 64 B"), report.toString());
            }
            server.close().sync();
        } finally {
            shutdown(clientGroup, serverGroup);
        }
    }

    @Test
    void nioClientGetsTcpFromTheSameSmcdServer() throws Exception {
        EventLoopGroup serverGroup = smcdGroup();
        EventLoopGroup clientGroup = nioGroup();
        try {
            Channel server = EchoServer.bind(serverGroup, SmcdServerSocketChannel.class, LOOPBACK_ANY_PORT, false);
            EchoClient.ConnectionReport report =
                    EchoClient.run(clientGroup, NioSocketChannel.class, smallRun(server)).get(0);
            assertEquals(SmcdMode.TCP, report.mode());
            assertEquals("TCP (nio)", report.modeDescription());
            assertEquals(3 * 1024 * 1024 + 12_345, report.streamedBytes());
            server.close().sync();
        } finally {
            shutdown(clientGroup, serverGroup);
        }
    }

    @Test
    void smcdClientFallsBackToTcpWithAReasonAgainstANioServer() throws Exception {
        EventLoopGroup serverGroup = nioGroup();
        EventLoopGroup clientGroup = smcdGroup();
        try {
            Channel server = EchoServer.bind(serverGroup, NioServerSocketChannel.class, LOOPBACK_ANY_PORT, false);
            EchoClient.ConnectionReport report =
                    EchoClient.run(clientGroup, SmcdSocketChannel.class, smallRun(server)).get(0);
            assertEquals(SmcdMode.TCP, report.mode());
            assertEquals(SmcdFallbackReason.PEER_NO_LISTENER, report.fallbackReason());
            assertEquals("TCP (fallback: " + SmcdFallbackReason.PEER_NO_LISTENER + ")", report.modeDescription());
            assertEquals(3 * 1024 * 1024 + 12_345, report.streamedBytes());
            server.close().sync();
        } finally {
            shutdown(clientGroup, serverGroup);
        }
    }

    @Test
    void plainSocketGetsItsBytesBackFromTheSmcdServer() throws Exception {
        EventLoopGroup serverGroup = smcdGroup();
        try {
            Channel server = EchoServer.bind(serverGroup, SmcdServerSocketChannel.class, LOOPBACK_ANY_PORT, false);
            byte[] sent = new byte[300_000];
            new Random(42).nextBytes(sent);
            byte[] received = new byte[sent.length];
            try (Socket socket = new Socket()) {
                socket.setSoTimeout(10_000);
                socket.connect(server.localAddress(), 10_000);
                OutputStream out = socket.getOutputStream();
                DataInputStream in = new DataInputStream(socket.getInputStream());
                // Half each way at a time, so neither side's socket buffer has to hold it all.
                out.write(sent, 0, sent.length / 2);
                in.readFully(received, 0, sent.length / 2);
                out.write(sent, sent.length / 2, sent.length - sent.length / 2);
                in.readFully(received, sent.length / 2, sent.length - sent.length / 2);
            }
            assertArrayEquals(sent, received);
            server.close().sync();
        } finally {
            shutdown(serverGroup);
        }
    }

    @Test
    void serverAndClientProcessesTalkSmcdAndLeaveNothingWhenStopped() throws Exception {
        String domainFlag = domain.directory().toString();
        try (ChildJvm server = ChildJvm.start(EchoServer.class, "--port", "0", "--threads", "1",
                "--domain", domainFlag)) {
            String listening = server.expect("EchoServer listening on ", Duration.ofSeconds(30));
            Matcher port = Pattern.compile("^/127\\.0\\.0\\.1:(\\d+) \\(smcd: SMC-D for smcd clients")
                    .matcher(listening);
            assertTrue(port.find(), listening);

            try (ChildJvm client = ChildJvm.start(EchoClient.class, "--port", port.group(1), "--threads", "1",
                    "--warmup", "10", "--pings", "100", "--seconds", "1", "--domain", domainFlag)) {
                String connection = client.expect("connection 1 ", Duration.ofSeconds(30));
                assertTrue(connection.endsWith(": SMC-D (SMCD_LOOPBACK)"), connection);
                assertTrue(client.expect("  ping-pong ", Duration.ofSeconds(30)).startsWith("100 x 64 B: RTT p50"));
                assertTrue(client.expect("  streaming ", Duration.ofSeconds(30)).contains("MB/s echoed"));
                assertEquals(0, client.waitFor(Duration.ofSeconds(30)), client.stderr());
                assertFalse(hasMemberFile(client.pid()), "client left its member file");
            }
            String accepted = server.expect("accepted ", Duration.ofSeconds(30));
            assertTrue(accepted.endsWith(" over SMC-D (SMCD_LOOPBACK)"), accepted);

            // What Ctrl-C does: SIGTERM runs the same shutdown hook.
            ProcessHandle.of(server.pid()).orElseThrow().destroy();
            assertEquals(143, server.waitFor(Duration.ofSeconds(30)), server.stderr());
            assertFalse(hasMemberFile(server.pid()), "server left its member file");
        }
    }

    private boolean hasMemberFile(long pid) throws Exception {
        try (var files = Files.list(domain.directory())) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("member-" + pid + "-"));
        }
    }
}
