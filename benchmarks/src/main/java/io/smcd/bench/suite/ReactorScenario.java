package io.smcd.bench.suite;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.smcd.bench.common.Percentiles;
import io.smcd.reactor.SmcdLoopResources;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The Reactor Netty scenario: its {@link HttpServer} in the server JVM and its {@link HttpClient} in the client JVM,
 * keep-alive GETs of {@code /hello} from {@code --http-connections} requests in flight over as many pooled
 * connections, each body compared. Both sides get the transport only through {@code runOn}: smcd through
 * {@link SmcdLoopResources}, NIO and epoll through Reactor Netty's own loops ({@code preferNative} picks epoll);
 * other transports are not Reactor's to choose and report the scenario as not runnable.
 */
final class ReactorScenario {
    static final String PATH = "/hello";
    static final byte[] BODY = "Hello, World!\n".getBytes(StandardCharsets.US_ASCII);
    private static final Duration BOUND = Duration.ofSeconds(10);

    /** Reactor Netty loops, the {@code preferNative} flag to run on them with, and their worker count. */
    private record Loops(LoopResources resources, boolean preferNative, int workers) {
        void dispose() {
            resources.disposeLater().block(BOUND);
        }
    }

    private ReactorScenario() {
    }

    private static Loops loops(NettyTransport transport, String prefix, int threads) {
        int workers = threads == 0 ? LoopResources.DEFAULT_IO_WORKER_COUNT : threads;
        return switch (transport.transport()) {
            case SMCD_LOOPBACK, SMCD_COPY -> new Loops(SmcdLoopResources.create(prefix, workers, true, transport.smcdConfig()), true,
                    workers);
            case NIO_TCP -> new Loops(LoopResources.create(prefix, workers, true), false, workers);
            case EPOLL_TCP, EPOLL_UDS -> new Loops(LoopResources.create(prefix, workers, true), true, workers);
            default -> throw new UnsupportedOperationException("Reactor Netty runs on NIO, epoll or smcd loops; "
                    + transport.transport().option() + " is none of them");
        };
    }

    static ScenarioServer startServer(NettyTransport transport, int threads) {
        Loops loops = loops(transport, "suite-reactor-server", threads);
        try {
            SocketAddress bind = transport.bindAddress("reactor");
            HttpServer server = HttpServer.create().runOn(loops.resources(), loops.preferNative()).bindAddress(() -> bind)
                    .route(routes -> routes.get(PATH, (request, response) -> response
                            .header("content-type", "text/plain; charset=US-ASCII").sendByteArray(Mono.just(BODY))));
            for (Map.Entry<ChannelOption<?>, Object> option : transport.smcdOptions().entrySet()) {
                server = server.childOption(NettyTransport.raw(option.getKey()), option.getValue());
            }
            DisposableServer bound = server.bindNow(BOUND);
            return new ScenarioServer() {
                @Override
                public SocketAddress address() {
                    return bound.address();
                }

                @Override
                public int loops() {
                    return loops.workers();
                }

                @Override
                public void close() {
                    try {
                        bound.disposeNow(BOUND);
                    } finally {
                        loops.dispose();
                    }
                }
            };
        } catch (RuntimeException | Error e) {
            loops.dispose();
            throw e;
        }
    }

    static SuiteResult runClient(NettyTransport transport, SocketAddress address, int connections, int threads, int serverLoops,
                                 long warmupNanos, long windowNanos) throws Exception {
        Loops loops = loops(transport, "suite-reactor-client", threads);
        ConnectionProvider pool = ConnectionProvider.builder("suite-reactor").maxConnections(connections).pendingAcquireMaxCount(-1)
                .build();
        // Reactor reports a pooled connection again for every request it carries: keep each channel once.
        Set<Channel> channels = ConcurrentHashMap.newKeySet();
        try {
            HttpClient client = HttpClient.create(pool).runOn(loops.resources(), loops.preferNative()).remoteAddress(() -> address)
                    .doOnConnected(connection -> channels.add(connection.channel()));
            for (Map.Entry<ChannelOption<?>, Object> option : transport.smcdOptions().entrySet()) {
                client = client.option(NettyTransport.raw(option.getKey()), option.getValue());
            }
            HttpClient configured = client;
            ClosedLoop loop = ClosedLoop.start(sequence -> configured.get().uri(PATH)
                    .responseSingle((response, body) -> response.status().code() == 200 ? body.asByteArray()
                            : Mono.error(new IllegalStateException("GET " + PATH + " answered " + response.status())))
                    .flatMap(body -> Arrays.equals(body, BODY) ? Mono.just(body)
                            : Mono.error(new IllegalStateException("GET " + PATH + " returned " + body.length + " other bytes")))
                    .toFuture(), connections, warmupNanos, windowNanos);
            loop.done().get(warmupNanos + windowNanos + TimeUnit.SECONDS.toNanos(30), TimeUnit.NANOSECONDS);
            Map<String, Double> metrics = Percentiles.micros(loop.latencies());
            metrics.put("connections", (double) channels.size());
            SuiteResult result = SuiteResult.ok(transport.transport(), SuiteScenario.REACTOR_HTTP, loop.perSecond(), metrics,
                    String.format(Locale.ROOT, "%d requests in flight over %d connections, %d client + %d server workers, GET %s",
                            connections, channels.size(), loops.workers(),
                            serverLoops, PATH));
            return transport.checkChannels(result, channels);
        } finally {
            pool.disposeLater().block(BOUND);
            loops.dispose();
        }
    }
}
