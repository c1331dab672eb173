package io.smcd.it.reactor;

import io.smcd.channel.SmcdFallbackReason;
import io.smcd.it.ChannelModes;
import io.smcd.it.LiveThreads;
import io.smcd.it.Payload;
import io.smcd.it.PrivateDomain;
import io.smcd.reactor.SmcdLoopResources;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpClient;

/**
 * Reactor clients and servers on smcd against plain Reactor Netty ones on NIO, over HTTP and raw TCP: the bytes arrive
 * intact and the smcd side reports TCP with the reason (the plain server has no SMC-D listener; the plain client sent
 * no intent). Both kinds of loops live for the whole class and are disposed at its end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReactorMixedTransportTest {
    private static final Duration BOUND = Duration.ofSeconds(60);

    private final String prefix = "it-rmix-" + UUID.randomUUID().toString().substring(0, 8);
    private final PrivateDomain domain = PrivateDomain.create();
    private LoopResources smcd;
    private LoopResources nio;

    @BeforeAll
    void createLoops() {
        smcd = SmcdLoopResources.create(prefix + "-s", 1, true, domain.config());
        nio = LoopResources.create(prefix + "-n", 1, true);
    }

    @AfterAll
    void disposeLoops() throws Exception {
        try {
            smcd.disposeLater(Duration.ZERO, BOUND).block(BOUND);
            nio.disposeLater(Duration.ZERO, BOUND).block(BOUND);
            domain.assertRemoved();
            LiveThreads.assertAllEnded(prefix, BOUND);
        } finally {
            domain.close();
        }
    }

    private static DisposableServer httpServer(LoopResources loops, boolean preferNative, ConnectionLog accepted) {
        return HttpServer.create()
                .runOn(loops, preferNative)
                .host("127.0.0.1")
                .port(0)
                .doOnConnection(accepted::add)
                .route(routes -> routes.get("/bytes", (request, response) ->
                        response.sendByteArray(Mono.just(Payload.of(7, 300_000)))))
                .bindNow(BOUND);
    }

    private static void getBytes(LoopResources loops, boolean preferNative, int port, ConnectionLog connected) {
        ConnectionProvider pool = ConnectionProvider.create("it-rmix-pool", 1);
        try {
            byte[] body = HttpClient.create(pool)
                    .runOn(loops, preferNative)
                    .host("127.0.0.1")
                    .port(port)
                    .doOnConnected(connected::add)
                    .get()
                    .uri("/bytes")
                    .responseSingle((response, content) -> content.asByteArray())
                    .block(BOUND);
            Payload.check("http body", body, 7, 300_000);
        } finally {
            pool.disposeLater().block(BOUND);
        }
    }

    private static void assertPlainNio(ConnectionLog log) {
        ChannelModes.assertPlainNio("plain side", log.channels(), 1);
    }

    private static void assertFallback(ConnectionLog log, SmcdFallbackReason reason) {
        ChannelModes.assertFallback("smcd side", log.channels(), 1, reason);
    }

    @Test
    void smcdHttpClientWithPlainNioServerUsesTcp() {
        ConnectionLog accepted = new ConnectionLog();
        ConnectionLog connected = new ConnectionLog();
        DisposableServer server = httpServer(nio, false, accepted);
        try {
            getBytes(smcd, true, server.port(), connected);
        } finally {
            server.disposeNow(BOUND);
        }
        assertFallback(connected, SmcdFallbackReason.PEER_NO_LISTENER);
        assertPlainNio(accepted);
    }

    @Test
    void plainNioHttpClientWithSmcdServerUsesTcp() {
        ConnectionLog accepted = new ConnectionLog();
        ConnectionLog connected = new ConnectionLog();
        DisposableServer server = httpServer(smcd, true, accepted);
        try {
            getBytes(nio, false, server.port(), connected);
        } finally {
            server.disposeNow(BOUND);
        }
        assertFallback(accepted, SmcdFallbackReason.PEER_NO_INTENT);
        assertPlainNio(connected);
    }

    @Test
    void smcdTcpClientWithPlainNioEchoServerUsesTcp() {
        ConnectionLog accepted = new ConnectionLog();
        ConnectionLog connected = new ConnectionLog();
        DisposableServer server = ReactorEcho.server(nio, false, accepted);
        try {
            echo(smcd, true, server, connected);
        } finally {
            server.disposeNow(BOUND);
        }
        assertFallback(connected, SmcdFallbackReason.PEER_NO_LISTENER);
        assertPlainNio(accepted);
    }

    @Test
    void plainNioTcpClientWithSmcdEchoServerUsesTcp() {
        ConnectionLog accepted = new ConnectionLog();
        ConnectionLog connected = new ConnectionLog();
        DisposableServer server = ReactorEcho.server(smcd, true, accepted);
        try {
            echo(nio, false, server, connected);
        } finally {
            server.disposeNow(BOUND);
        }
        assertFallback(accepted, SmcdFallbackReason.PEER_NO_INTENT);
        assertPlainNio(connected);
    }

    private static void echo(LoopResources loops, boolean preferNative, DisposableServer server, ConnectionLog connected) {
        Connection client = TcpClient.newConnection().runOn(loops, preferNative).remoteAddress(server::address)
                .doOnConnected(connected::add).connectNow(BOUND);
        try {
            ReactorEcho.exchange(client, 3, 2_000_000);
        } finally {
            client.disposeNow(BOUND);
        }
    }
}
