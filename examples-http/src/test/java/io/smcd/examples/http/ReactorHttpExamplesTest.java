package io.smcd.examples.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.smcd.channel.SmcdFallbackReason;
import io.smcd.channel.SmcdIoHandlerConfig;
import io.smcd.sim.testing.ChildJvm;
import io.smcd.sim.testing.TestDomain;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;

/**
 * The Reactor Netty HTTP example on a private domain: an smcd server asked by an smcd client (SMC-D), a NIO client and
 * a plain socket (both TCP), and both as child processes. Each test ends with every loop thread stopped and the
 * domain left empty.
 */
class ReactorHttpExamplesTest {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String SMCD = "SMC-D (SMCD_LOOPBACK)";
    private static final String SERVER_SIDE_TCP = "TCP (fallback: " + SmcdFallbackReason.PEER_NO_INTENT + ")";

    private final String prefix = "reactor-example-" + UUID.randomUUID().toString().substring(0, 8);
    private final BlockingQueue<String> serverLog = new LinkedBlockingQueue<>();
    private final List<ReactorLoops> loops = new ArrayList<>();
    private TestDomain domain;
    private DisposableServer server;

    @BeforeEach
    void startServer() throws Exception {
        domain = TestDomain.create();
        server = ReactorHttpServer.bind(loops("smcd", "server"), "127.0.0.1", 0, serverLog::add);
    }

    @AfterEach
    void stopServer() throws Exception {
        try {
            server.disposeNow(BOUND);
            for (ReactorLoops created : loops) {
                created.loops.disposeLater(Duration.ZERO, BOUND).block(BOUND);
            }
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread.getName().startsWith(prefix)) {
                    thread.join(BOUND.toMillis());
                    assertFalse(thread.isAlive(), "thread still alive: " + thread);
                }
            }
            assertEquals(List.of(), domain.leftoverFiles(), "files left in the domain");
        } finally {
            domain.close();
        }
        assertFalse(Files.exists(domain.directory()), "domain directory left: " + domain.directory());
    }

    private ReactorLoops loops(String transport, String role) {
        ReactorLoops created = ReactorLoops.create(transport, prefix + "-" + role, 1,
                new SmcdIoHandlerConfig().setDomainDirectory(domain.directory()));
        loops.add(created);
        return created;
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    private String nextServerLog() throws InterruptedException {
        String line = serverLog.poll(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            throw new AssertionError("the server logged nothing within " + BOUND);
        }
        return line;
    }

    @Test
    void smcdClientReusesOneSmcdConnection() throws Exception {
        List<String> out = new ArrayList<>();
        List<Channel> connections = ReactorHttpClient.run(loops("smcd", "client"), url("/hello"), 3, out::add);
        assertEquals(1, connections.size());
        Channel connection = connections.get(0);
        String get = "GET " + url("/hello") + " -> 200, 14 bytes, server sees " + SMCD;
        assertEquals(List.of(get, get, get,
                "connection " + connection.localAddress() + " -> " + connection.remoteAddress() + ": " + SMCD), out);
        assertEquals("accepted " + connection.localAddress() + ": " + SMCD, nextServerLog());
        assertEquals(0, serverLog.size(), "one connection reported once: " + serverLog);
    }

    @Test
    void nioClientGetsTcpFromTheSameServer() throws Exception {
        List<String> out = new ArrayList<>();
        List<Channel> connections = ReactorHttpClient.run(loops("nio", "nio-client"), url("/bytes?size=100000"), 1,
                out::add);
        assertEquals(List.of("GET " + url("/bytes?size=100000") + " -> 200, 100000 bytes, server sees "
                + SERVER_SIDE_TCP, "connection " + connections.get(0).localAddress() + " -> "
                + connections.get(0).remoteAddress() + ": TCP (nio)"), out);
        assertEquals("accepted " + connections.get(0).localAddress() + ": " + SERVER_SIDE_TCP, nextServerLog());
    }

    @Test
    void plainSocketGetsEveryByteAndTheErrors() throws Exception {
        try (RawHttp http = RawHttp.connect(new InetSocketAddress("127.0.0.1", server.port()))) {
            RawHttp.Response hello = http.exchange("GET", "/hello");
            assertEquals(200, hello.status);
            assertEquals("Hello, World!\n", hello.text());
            assertEquals(SERVER_SIDE_TCP, hello.header(HttpServerHandler.MODE_HEADER_NAME));
            int size = (1 << 20) + 3;
            RawHttp.Response bytes = http.exchange("GET", "/bytes?size=" + size);
            assertEquals(200, bytes.status);
            assertEquals(String.valueOf(size), bytes.header("content-length"));
            byte[] line = HttpServerHandler.BODY_LINE;
            assertEquals(size, bytes.body.length);
            for (int i = 0; i < size; i++) {
                if (bytes.body[i] != line[i % line.length]) {
                    throw new AssertionError("wrong byte at " + i);
                }
            }
            assertEquals(400, http.exchange("GET", "/bytes?size=-1").status);
            assertEquals(400, http.exchange("GET", "/bytes?size=lots").status);
            assertEquals(404, http.exchange("GET", "/nowhere").status);
            assertEquals(200, http.exchange("GET", "/hello").status, "keep-alive after errors");
        }
    }

    @Test
    void serverAndClientProcessesUseSmcdAndLeaveNothingWhenStopped() throws Exception {
        String domainFlag = domain.directory().toString();
        try (ChildJvm child = ChildJvm.start(ReactorHttpServer.class, "--port", "0", "--threads", "1", "--domain",
                domainFlag)) {
            Matcher listening = Pattern.compile("^127\\.0\\.0\\.1:(\\d+) over smcd; Ctrl-C to stop$")
                    .matcher(child.expect("ReactorHttpServer listening on ", BOUND));
            assertTrue(listening.find());
            String url = "http://127.0.0.1:" + listening.group(1) + "/hello";
            try (ChildJvm client = ChildJvm.start(ReactorHttpClient.class, "--requests", "2", "--threads", "1",
                    "--domain", domainFlag, url)) {
                String get = url + " -> 200, 14 bytes, server sees " + SMCD;
                assertEquals(get, client.expect("GET ", BOUND));
                assertEquals(get, client.expect("GET ", BOUND));
                assertTrue(client.expect("connection ", BOUND).endsWith(": " + SMCD));
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
            // The in-process server still has its listener record and statistics file; the child's must be gone.
            assertEquals(List.of("listener-" + server.port() + "-7f000001"), domain.leftoverFilesExceptOwnStatistics());
        }
    }
}
