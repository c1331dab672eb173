package io.smcd.bench.suite;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.smcd.examples.http.HttpLoadGenerator;
import io.smcd.examples.http.HttpServer;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The nginx/wrk scenario on {@code examples-http}: its {@link HttpServer} in the server JVM and its
 * {@link HttpLoadGenerator} in the client JVM, each on a group of the transport under test, keep-alive GETs of
 * {@code /hello}. The load generator runs once unrecorded for the warm-up, then for the window. {@code http} sizes both
 * groups with {@code --http-threads}; {@code http-default-threads} leaves both at the transports' default, Netty's
 * 2 x cores, so that a 2-core host runs 8 loop threads for a client and a server.
 *
 * <p>The server listens where the transport's other servers do (127.0.0.1 or a Unix socket in the run's socket folder);
 * the load generator dials it there and gives smcd connections the transport's device, which the connecting side
 * picks from the server's proposal. examples-http takes no DMB size, so smcd connections use the default 64 KiB RMB.
 */
final class HttpScenario {
    static final String PATH = "/hello";

    private HttpScenario() {
    }

    /** Starts the server on a group of {@code threads} loops, 0 for Netty's default. */
    static ScenarioServer startServer(NettyTransport transport, int threads) throws Exception {
        EventLoopGroup group = transport.newGroup(threads, "suite-http-server");
        try {
            Channel channel = HttpServer.bind(group, transport.serverChannel(), transport.bindAddress("http"), null);
            return new ScenarioServer() {
                @Override
                public SocketAddress address() {
                    return channel.localAddress();
                }

                @Override
                public int loops() {
                    return NettyTransport.loops(group);
                }

                @Override
                public void close() {
                    channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
                    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
                }
            };
        } catch (Exception | Error e) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * Runs the load generator on a group of {@code threads} loops (0: Netty's default) against the server at
     * {@code address}, whose group has {@code serverLoops}: once for the warm-up, then for the window.
     */
    static SuiteResult runClient(NettyTransport transport, SuiteScenario scenario, SocketAddress address, int connections, int threads,
                                 int serverLoops, long warmupNanos, long windowNanos) throws Exception {
        EventLoopGroup group = transport.newGroup(threads, "suite-http-client");
        try {
            HttpLoadGenerator.Options options = new HttpLoadGenerator.Options().path(PATH).connections(connections)
                    .timeout(Duration.ofSeconds(2)).group(group, transport.clientChannel());
            if (address instanceof InetSocketAddress server) {
                options.host(server.getAddress().getHostAddress()).port(server.getPort());
            } else {
                options.unixSocket(NettyTransport.socketPath(address));
            }
            if (transport.expectedMode() != null) {
                options.smcdDevices(List.of(transport.expectedMode()));
            }
            if (warmupNanos > 0) {
                HttpLoadGenerator.run(options.duration(Duration.ofNanos(warmupNanos)));
            }
            HttpLoadGenerator.Result result = HttpLoadGenerator.run(options.duration(Duration.ofNanos(windowNanos)));
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("requests", (double) result.requests());
            metrics.put("p50Us", result.latencyPercentileNanos(50) / 1e3);
            metrics.put("p99Us", result.latencyPercentileNanos(99) / 1e3);
            metrics.put("errors", (double) (result.errorResponses() + result.socketErrors()));
            metrics.put("connections", (double) connections);
            int clientLoops = NettyTransport.loops(group);
            metrics.put("threads", (double) clientLoops);
            metrics.put("serverThreads", (double) serverLoops);
            String note = String.format(Locale.ROOT, "%d connections, %d client + %d server threads, GET %s; modes %s",
                    connections, clientLoops, serverLoops, PATH, result.modes());
            if (result.errorResponses() + result.socketErrors() > 0) {
                note += String.format(Locale.ROOT, "; %d error responses, %d socket errors, %d timeouts", result.errorResponses(),
                        result.socketErrors(), result.timeouts());
            }
            SuiteResult ok = SuiteResult.ok(transport.transport(), scenario, result.requestsPerSecond(), metrics, note);
            String expected = transport.expectedMode() == null ? null : "SMC-D (" + transport.expectedMode() + ")";
            if (expected != null && !(result.modes().size() == 1 && result.modes().containsKey(expected))) {
                return ok.asFallback("connections did not all run " + expected);
            }
            return ok;
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }
}
