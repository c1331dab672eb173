package io.smcd.examples.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.concurrent.ThreadPerTaskExecutor;
import io.smcd.channel.SmcdEventLoopGroup;
import io.smcd.channel.SmcdFallbackReason;
import io.smcd.channel.SmcdIoHandlerConfig;
import io.smcd.channel.SmcdMode;
import io.smcd.channel.SmcdServerSocketChannel;
import io.smcd.channel.SmcdSocketChannel;
import io.smcd.sim.testing.ChildJvm;
import io.smcd.sim.testing.TestDomain;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP example on one smcd server in a private domain, asked by an smcd client (SMC-D), a NIO client and a plain
 * socket (both TCP), by the load generator, and as child processes. The class ends with every thread stopped and
 * the domain removed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpExamplesTest {
    private static final Duration SHUTDOWN = Duration.ofSeconds(10);
    private static final String SMCD_MODE = "SMC-D (SMCD_LOOPBACK)";
    private static final String SERVER_SIDE_TCP_MODE = "TCP (fallback: " + SmcdFallbackReason.PEER_NO_INTENT + ")";
    private static final String SECRET = "secret outside the files directory";

    @TempDir
    static Path temp;

    private TestDomain domain;
    private TrackingThreadFactory threads;
    private EventLoopGroup serverGroup;
    private EventLoopGroup smcdClients;
    private EventLoopGroup nioClients;
    private Channel server;
    private InetSocketAddress address;
    private Path files;
    private byte[] big;

    @BeforeAll
    void startServer() throws Exception {
        files = Files.createDirectories(temp.resolve("files"));
        Files.writeString(temp.resolve("secret.txt"), SECRET);
        Files.writeString(files.resolve("hello.txt"), "hello from a file\n");
        Files.createFile(files.resolve("empty.txt"));
        Files.createDirectories(files.resolve("sub"));
        Files.writeString(files.resolve("sub/inner.txt"), "inner\n");
        Files.createSymbolicLink(files.resolve("link-out"), temp.resolve("secret.txt"));
        big = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(big);
        Files.write(files.resolve("big.bin"), big);

        domain = TestDomain.create();
        threads = new TrackingThreadFactory("http-test");
        SmcdIoHandlerConfig config = new SmcdIoHandlerConfig().setDomainDirectory(domain.directory());
        serverGroup = new SmcdEventLoopGroup(2, new ThreadPerTaskExecutor(threads), config);
        smcdClients = new SmcdEventLoopGroup(1, new ThreadPerTaskExecutor(threads), config);
        nioClients = new MultiThreadIoEventLoopGroup(1, new ThreadPerTaskExecutor(threads), NioIoHandler.newFactory());
        server = HttpServer.bind(serverGroup, SmcdServerSocketChannel.class, new InetSocketAddress("127.0.0.1", 0),
                files);
        address = (InetSocketAddress) server.localAddress();
        assertTrue(((SmcdServerSocketChannel) server).isSmcdListening());
    }

    @AfterAll
    void stopServer() throws Exception {
        if (domain == null) {
            return;
        }
        try {
            if (server != null) {
                server.close().sync();
            }
            for (EventLoopGroup group : new EventLoopGroup[] {smcdClients, nioClients, serverGroup}) {
                if (group != null) {
                    group.shutdownGracefully(0, SHUTDOWN.toSeconds(), TimeUnit.SECONDS);
                }
            }
            for (EventLoopGroup group : new EventLoopGroup[] {smcdClients, nioClients, serverGroup}) {
                if (group != null) {
                    assertTrue(group.terminationFuture().await(SHUTDOWN.toMillis()), "group did not terminate");
                }
            }
            threads.assertAllTerminated(SHUTDOWN);
            assertEquals(List.of(), domain.leftoverFiles(), "files left in the domain");
        } finally {
            domain.close();
        }
        assertFalse(Files.exists(domain.directory()), "domain directory left: " + domain.directory());
    }

    private NettyHttpClient client(String transport) throws InterruptedException {
        return transport.equals("smcd")
                ? new NettyHttpClient(smcdClients, SmcdSocketChannel.class, address)
                : new NettyHttpClient(nioClients, NioSocketChannel.class, address);
    }

    /** The client's own mode, and the server's view of the connection in the response header. */
    private static void assertModes(String transport, NettyHttpClient client, RawHttp.Response response) {
        if (transport.equals("smcd")) {
            assertEquals(SmcdMode.SMCD_LOOPBACK, ((SmcdSocketChannel) client.channel()).mode());
            assertEquals(SMCD_MODE, response.header(HttpServerHandler.MODE_HEADER_NAME));
        } else {
            assertEquals(SERVER_SIDE_TCP_MODE, response.header(HttpServerHandler.MODE_HEADER_NAME));
        }
    }

    private static void assertBody(long size, RawHttp.Response response) {
        assertEquals(200, response.status);
        assertEquals(String.valueOf(size), response.header("content-length"));
        assertEquals(size, response.body.length);
        byte[] line = HttpServerHandler.BODY_LINE;
        for (int i = 0; i < response.body.length; i++) {
            if (response.body[i] != line[i % line.length]) {
                throw new AssertionError("size=" + size + ": wrong byte at " + i);
            }
        }
    }

    // ---------------------------------------------------------------- smcd and NIO Netty clients

    @ParameterizedTest
    @ValueSource(strings = {"smcd", "nio"})
    void hello(String transport) throws Exception {
        try (NettyHttpClient client = client(transport)) {
            RawHttp.Response response = client.get("/hello");
            assertEquals(200, response.status);
            assertEquals("Hello, World!\n", response.text());
            assertEquals("text/plain; charset=UTF-8", response.header("content-type"));
            assertModes(transport, client, response);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"smcd", "nio"})
    void bytesOfEveryRequestedSizeOnOneKeepAliveConnection(String transport) throws Exception {
        try (NettyHttpClient client = client(transport)) {
            for (long size : new long[] {0, 1, 63, 64, 65, 100_000, 1 << 20, (1 << 20) + 1, 3 * (1 << 20) + 5}) {
                RawHttp.Response response = client.get("/bytes?size=" + size);
                assertBody(size, response);
                assertModes(transport, client, response);
            }
            assertTrue(client.channel().isActive(), "keep-alive connection closed");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"smcd", "nio"})
    void filesAreSentAsFileRegions(String transport) throws Exception {
        try (NettyHttpClient client = client(transport)) {
            RawHttp.Response response = client.get("/files/big.bin");
            assertEquals(200, response.status);
            assertEquals("application/octet-stream", response.header("content-type"));
            assertArrayEquals(big, response.body);
            assertModes(transport, client, response);

            response = client.get("/files/hello.txt");
            assertEquals("text/plain; charset=UTF-8", response.header("content-type"));
            assertEquals("hello from a file\n", response.text());
            assertEquals("inner\n", client.get("/files/sub/inner.txt").text());
            response = client.get("/files/empty.txt");
            assertEquals(200, response.status);
            assertEquals(0, response.body.length);
            assertArrayEquals(big, client.get("/files/big.bin").body, "second transfer on the same connection");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"smcd", "nio"})
    void pathsOutsideTheFilesDirectoryAreRefused(String transport) throws Exception {
        try (NettyHttpClient client = client(transport)) {
            for (String path : new String[] {"/files/../secret.txt", "/files/..%2Fsecret.txt",
                    "/files/%2e%2e/secret.txt", "/files/sub/../../secret.txt", "/files//etc/passwd",
                    "/files/link-out", "/files/..", "/files/%2e%2e%2f%2e%2e%2fetc%2fpasswd"}) {
                RawHttp.Response response = client.get(path);
                assertEquals(403, response.status, path);
                assertFalse(response.text().contains(SECRET), path);
            }
            assertEquals(404, client.get("/files/missing.txt").status);
            assertEquals(404, client.get("/files/sub").status);
            assertEquals(200, client.get("/files/sub/inner.txt").status, "still serving after refusals");
        }
    }

    // ---------------------------------------------------------------- a plain socket, as curl

    @Test
    void plainSocketGetsEveryEndpointOverTcp() throws Exception {
        try (RawHttp http = RawHttp.connect(address)) {
            RawHttp.Response hello = http.exchange("GET", "/hello");
            assertEquals(200, hello.status);
            assertEquals("Hello, World!\n", hello.text());
            assertEquals(SERVER_SIDE_TCP_MODE, hello.header(HttpServerHandler.MODE_HEADER_NAME));

            assertBody((1 << 20) + 1, http.exchange("GET", "/bytes?size=1048577"));
            RawHttp.Response file = http.exchange("GET", "/files/big.bin");
            assertEquals(200, file.status);
            assertArrayEquals(big, file.body);

            assertEquals(403, http.exchange("GET", "/files/../secret.txt").status);
            assertEquals(403, http.exchange("GET", "/files/..%2f..%2fsecret.txt").status);
            assertEquals(404, http.exchange("GET", "/nowhere").status);
            assertEquals(400, http.exchange("GET", "/bytes?size=-1").status);
            assertEquals(400, http.exchange("GET", "/bytes?size=lots").status);
            assertEquals(400, http.exchange("GET", "/bytes").status);
            RawHttp.Response post = http.exchange("POST", "/hello");
            assertEquals(405, post.status);
            assertEquals("GET, HEAD", post.header("allow"));
            assertEquals(200, http.exchange("GET", "/hello").status, "keep-alive after errors");
        }
    }

    @Test
    void headSendsHeadersOnly() throws Exception {
        try (RawHttp http = RawHttp.connect(address)) {
            RawHttp.Response head = http.exchange("HEAD", "/files/big.bin");
            assertEquals(200, head.status);
            assertEquals(String.valueOf(big.length), head.header("content-length"));
            assertEquals("5000000", http.exchange("HEAD", "/bytes?size=5000000").header("content-length"));
            assertEquals("14", http.exchange("HEAD", "/hello").header("content-length"));
            // Had a HEAD response carried a body, this would read its bytes as a status line.
            assertEquals("Hello, World!\n", http.exchange("GET", "/hello").text());
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (RawHttp http = RawHttp.connect(address)) {
            http.send("GET /bytes?size=10 HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /files/hello.txt HTTP/1.1\r\nHost: a\r\n\r\n");
            assertBody(10, http.read(false));
            assertEquals("Hello, World!\n", http.read(false).text());
            assertEquals("hello from a file\n", http.read(false).text());
        }
    }

    @Test
    void connectionCloseIsHonoured() throws Exception {
        try (RawHttp http = RawHttp.connect(address)) {
            http.send("GET /hello HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            RawHttp.Response response = http.read(false);
            assertEquals("Hello, World!\n", response.text());
            assertEquals("close", response.header("connection"));
            assertTrue(http.closedByServer());
        }
    }

    // ---------------------------------------------------------------- the load generator

    @Test
    void loadGeneratorOverSmcdOnAGivenGroup() throws Exception {
        HttpLoadGenerator.Result result = HttpLoadGenerator.run(new HttpLoadGenerator.Options()
                .group(smcdClients, SmcdSocketChannel.class)
                .host("127.0.0.1").port(address.getPort()).path("/hello")
                .connections(4)
                .maxRequests(400)
                .duration(Duration.ofSeconds(60)));
        assertEquals(400, result.requests(), result.format());
        assertEquals(0, result.socketErrors(), result.format());
        assertEquals(0, result.errorResponses(), result.format());
        assertEquals(Map.of(SMCD_MODE, 4), result.modes());
        assertTrue(result.latencyPercentileNanos(50) > 0);
        assertTrue(result.latencyPercentileNanos(99) >= result.latencyPercentileNanos(50));
        assertTrue(result.bytesRead() > 400 * 14, result.format());
        assertTrue(result.requestsPerSecond() > 0);
        String report = result.format();
        assertTrue(report.contains("4 x " + SMCD_MODE), report);
        assertTrue(report.contains("Latency Distribution"), report);
        assertTrue(report.contains("400 requests in "), report);
        assertTrue(report.contains("Requests/sec:"), report);
    }

    @ParameterizedTest
    @ValueSource(strings = {"smcd", "nio"})
    void loadGeneratorMakesAndShutsDownItsOwnGroup(String transport) throws Exception {
        HttpLoadGenerator.Result result = HttpLoadGenerator.run(new HttpLoadGenerator.Options()
                .transport(transport)
                .threads(1)
                .smcdConfig(new SmcdIoHandlerConfig().setDomainDirectory(domain.directory()))
                .url("http://127.0.0.1:" + address.getPort() + "/bytes?size=5000")
                .connections(2)
                .maxRequests(100)
                .duration(Duration.ofSeconds(60)));
        assertEquals(100, result.requests(), result.format());
        assertEquals(0, result.socketErrors(), result.format());
        assertTrue(result.bytesRead() >= 100 * 5000, result.format());
        assertEquals(Map.of(transport.equals("smcd") ? SMCD_MODE : "TCP (nio)", 2), result.modes());
    }

    @Test
    void loadGeneratorCountsErrorStatuses() throws Exception {
        HttpLoadGenerator.Result result = HttpLoadGenerator.run(new HttpLoadGenerator.Options()
                .group(nioClients, NioSocketChannel.class)
                .url("http://127.0.0.1:" + address.getPort() + "/missing")
                .connections(1)
                .maxRequests(50)
                .duration(Duration.ofSeconds(60)));
        assertEquals(50, result.requests());
        assertEquals(50, result.errorResponses());
        assertTrue(result.format().contains("Non-2xx or 3xx responses: 50"), result.format());
    }

    @Test
    void loadGeneratorReportsAServerThatIsNotThere() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, address.getAddress())) {
            port = closed.getLocalPort();
        }
        IOException e = assertThrows(IOException.class, () -> HttpLoadGenerator.run(new HttpLoadGenerator.Options()
                .group(nioClients, NioSocketChannel.class)
                .host("127.0.0.1").port(port).connections(2).duration(Duration.ofSeconds(1))));
        assertTrue(e.getMessage().startsWith("cannot connect to http://127.0.0.1:" + port + "/hello"), e.getMessage());
    }

    @Test
    void loadGeneratorTakesWrkStyleArguments() {
        HttpLoadGenerator.Options options = HttpLoadGenerator.parse(new String[] {"--transport", "nio",
                "--connections=3", "--threads", "1", "--duration", "1500ms", "--timeout", "5s", "--requests", "7",
                "http://localhost:9999/bytes?size=3"});
        assertEquals("nio", options.transport);
        assertEquals(3, options.connections);
        assertEquals(1, options.threads);
        assertEquals(Duration.ofMillis(1500), options.duration);
        assertEquals(Duration.ofSeconds(5), options.timeout);
        assertEquals(7, options.maxRequests);
        assertEquals("localhost", options.host);
        assertEquals(9999, options.port);
        assertEquals("/bytes?size=3", options.path);
        assertEquals("http://localhost:9999/bytes?size=3", options.url());
        assertEquals(Duration.ofMinutes(2), HttpLoadGenerator.parse(new String[] {"--duration", "2m"}).duration);
        assertThrows(IllegalArgumentException.class, () -> HttpLoadGenerator.parse(new String[] {"--transport", "x"}));
        assertThrows(IllegalArgumentException.class, () -> HttpLoadGenerator.parse(new String[] {"--bogus", "1"}));
        assertThrows(IllegalArgumentException.class, () -> HttpLoadGenerator.parse(new String[] {"ftp://h/"}));
    }

    // ---------------------------------------------------------------- as separate processes

    @Test
    void serverAndLoadGeneratorProcessesUseSmcdAndLeaveNothingWhenStopped() throws Exception {
        String domainFlag = domain.directory().toString();
        try (ChildJvm child = ChildJvm.start(HttpServer.class, "--port", "0", "--threads", "1", "--domain",
                domainFlag, "--files", files.toString())) {
            String listening = child.expect("HttpServer listening on ", Duration.ofSeconds(30));
            Matcher port = Pattern.compile("^/127\\.0\\.0\\.1:(\\d+) \\(smcd: SMC-D for smcd clients")
                    .matcher(listening);
            assertTrue(port.find(), listening);
            InetSocketAddress childAddress = new InetSocketAddress("127.0.0.1", Integer.parseInt(port.group(1)));

            try (NettyHttpClient smcd = new NettyHttpClient(smcdClients, SmcdSocketChannel.class, childAddress)) {
                RawHttp.Response response = smcd.get("/files/big.bin");
                assertArrayEquals(big, response.body);
                assertModes("smcd", smcd, response);
            }
            try (RawHttp tcp = RawHttp.connect(childAddress)) {
                RawHttp.Response response = tcp.exchange("GET", "/hello");
                assertEquals("Hello, World!\n", response.text());
                assertEquals(SERVER_SIDE_TCP_MODE, response.header(HttpServerHandler.MODE_HEADER_NAME));
            }

            try (ChildJvm load = ChildJvm.start(HttpLoadGenerator.class, "--transport", "smcd", "--threads", "1",
                    "--connections", "2", "--requests", "200", "--duration", "30s", "--domain", domainFlag,
                    "http://127.0.0.1:" + port.group(1) + "/hello")) {
                assertEquals("30s test @ http://127.0.0.1:" + port.group(1) + "/hello",
                        load.expect("Running ", Duration.ofSeconds(30)));
                assertEquals("", load.expect("    2 x " + SMCD_MODE, Duration.ofSeconds(60)));
                assertTrue(load.expect("  200 requests in ", Duration.ofSeconds(30)).endsWith(" read"));
                assertTrue(load.expect("Requests/sec:", Duration.ofSeconds(30)).matches("[0-9.]+"));
                assertEquals(0, load.waitFor(Duration.ofSeconds(30)), load.stderr());
                assertFalse(hasMemberFile(load.pid()), "load generator left its member file");
            }

            // What Ctrl-C does: SIGTERM runs the same shutdown hook.
            ProcessHandle.of(child.pid()).orElseThrow().destroy();
            assertEquals(143, child.waitFor(Duration.ofSeconds(30)), child.stderr());
            assertFalse(hasMemberFile(child.pid()), "server left its member file");
            // The in-process server of this class still has its listener record and statistics file; the child's must be gone.
            assertEquals(List.of("listener-" + address.getPort() + "-7f000001"), domain.leftoverFilesExceptOwnStatistics());
        }
    }

    private boolean hasMemberFile(long pid) throws IOException {
        try (var listing = Files.list(domain.directory())) {
            return listing.anyMatch(f -> f.getFileName().toString().startsWith("member-" + pid + "-"));
        }
    }
}
