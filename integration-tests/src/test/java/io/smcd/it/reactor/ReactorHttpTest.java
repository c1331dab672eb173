package io.smcd.it.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.smcd.channel.SmcdMode;
import io.smcd.it.LiveThreads;
import io.smcd.it.Payload;
import io.smcd.it.PrivateDomain;
import io.smcd.reactor.SmcdLoopResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Reactor Netty's {@code HttpServer} and {@code HttpClient} on {@link SmcdLoopResources}: echo round trips from 0 B
 * to 8 MiB with the request and the response each sent with a content-length or chunked, every byte checked; several
 * requests reusing one keep-alive connection. Every connection, on both sides, must have run over SMC-D.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReactorHttpTest {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final int PIECE = 100_000;
    private static final String REQUEST_FRAMING = "x-request-framing";

    private final String prefix = "it-rhttp-" + UUID.randomUUID().toString().substring(0, 8);
    private final PrivateDomain domain = PrivateDomain.create();
    private LoopResources loops;
    private ConnectionLog accepted;
    private ConnectionLog connected;
    private List<Channel> responseChannels;
    private DisposableServer server;
    private ConnectionProvider pool;

    @BeforeAll
    void createLoops() {
        loops = SmcdLoopResources.create(prefix, 2, true, domain.config());
    }

    @AfterAll
    void disposeLoops() throws Exception {
        try {
            loops.disposeLater(Duration.ZERO, BOUND).block(BOUND);
            domain.assertRemoved();
            LiveThreads.assertAllEnded(prefix, BOUND);
        } finally {
            domain.close();
        }
    }

    @BeforeEach
    void startServer() {
        accepted = new ConnectionLog();
        connected = new ConnectionLog();
        responseChannels = new CopyOnWriteArrayList<>();
        server = HttpServer.create()
                .runOn(loops)
                .host("127.0.0.1")
                .port(0)
                .doOnConnection(accepted::add)
                .route(routes -> routes.post("/echo", ReactorHttpTest::echo))
                .bindNow(BOUND);
    }

    @AfterEach
    void stopServer() {
        try {
            if (pool != null) {
                pool.disposeLater().block(BOUND);
            }
        } finally {
            server.disposeNow(BOUND);
        }
    }

    /** Echoes the body; {@code ?reply=length} with a content-length, else chunked as it arrives. */
    private static Mono<Void> echo(HttpServerRequest request, HttpServerResponse response) {
        response.header(REQUEST_FRAMING, framing(request.requestHeaders()));
        if (request.uri().endsWith("reply=length")) {
            return request.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0])
                    .flatMap(body -> response.header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(body.length))
                            .sendByteArray(Mono.just(body)).then());
        }
        return response.header(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
                .send(request.receive().retain()).then();
    }

    private static String framing(HttpHeaders headers) {
        if (headers.containsValue(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED, true)) {
            return "chunked";
        }
        return headers.contains(HttpHeaderNames.CONTENT_LENGTH) ? "length" : "none";
    }

    private HttpClient client(int maxConnections) {
        pool = ConnectionProvider.create(prefix + "-pool", maxConnections);
        return HttpClient.create(pool)
                .runOn(loops)
                .host("127.0.0.1")
                .port(server.port())
                .doOnConnected(connected::add)
                .doOnResponse((response, connection) -> responseChannels.add(connection.channel()));
    }

    /** One POST /echo of payload {@code seed}; returns the response once its whole body has arrived. */
    private static Reply post(HttpClient client, int seed, int size, String requestFraming, String replyFraming) {
        byte[] payload = Payload.of(seed, size);
        Flux<ByteBuf> body = Flux.range(0, (size + PIECE - 1) / PIECE)
                .map(i -> Unpooled.wrappedBuffer(payload, i * PIECE, Math.min(PIECE, size - i * PIECE)));
        return client
                .headers(h -> {
                    if (requestFraming.equals("length")) {
                        h.set(HttpHeaderNames.CONTENT_LENGTH, size);
                    } else {
                        h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                    }
                })
                .post()
                .uri("/echo?reply=" + replyFraming)
                .send(body)
                .responseSingle((response, content) -> content.asByteArray().defaultIfEmpty(new byte[0])
                        .map(bytes -> new Reply(response.status().code(), response.responseHeaders(), bytes)))
                .block(BOUND);
    }

    static Stream<Arguments> roundTrips() {
        List<Arguments> cases = new ArrayList<>();
        for (int size : new int[] {0, 1, 65_537, (1 << 20) + 7, 8 << 20}) {
            for (String requestFraming : new String[] {"length", "chunked"}) {
                for (String replyFraming : new String[] {"length", "chunked"}) {
                    cases.add(Arguments.of(size, requestFraming, replyFraming));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} B, request {1}, response {2}")
    @MethodSource("roundTrips")
    void echoRoundTripOverSmcd(int size, String requestFraming, String replyFraming) {
        Reply reply = post(client(1), size, size, requestFraming, replyFraming);

        assertEquals(200, reply.status);
        assertEquals(requestFraming, reply.headers.get(REQUEST_FRAMING), "how the server saw the request");
        if (replyFraming.equals("length")) {
            assertEquals(String.valueOf(size), reply.headers.get(HttpHeaderNames.CONTENT_LENGTH));
        } else {
            assertEquals("chunked", reply.headers.get(HttpHeaderNames.TRANSFER_ENCODING));
            assertNull(reply.headers.get(HttpHeaderNames.CONTENT_LENGTH));
        }
        Payload.check("http echo", reply.body, size, size);
        connected.assertAll(1, SmcdMode.SMCD_LOOPBACK);
        accepted.assertAll(1, SmcdMode.SMCD_LOOPBACK);
    }

    @Test
    void keepAliveReusesOneSmcdConnection() {
        HttpClient client = client(1);
        int requests = 10;
        for (int i = 0; i < requests; i++) {
            int size = i * 50_000;
            Reply reply = post(client, i, size, i % 2 == 0 ? "length" : "chunked", i % 3 == 0 ? "length" : "chunked");
            assertEquals(200, reply.status);
            Payload.check("request " + i, reply.body, i, size);
        }
        assertEquals(requests, responseChannels.size());
        Channel first = responseChannels.get(0);
        for (Channel channel : responseChannels) {
            assertSame(first, channel, "every response came over the first connection");
        }
        assertTrue(first.isActive(), "the connection is still open for the next request");
        connected.assertAll(1, SmcdMode.SMCD_LOOPBACK);
        accepted.assertAll(1, SmcdMode.SMCD_LOOPBACK);
    }

    /** A whole response. */
    private static final class Reply {
        final int status;
        final HttpHeaders headers;
        final byte[] body;

        Reply(int status, HttpHeaders headers, byte[] body) {
            this.status = status;
            this.headers = headers;
            this.body = body;
        }
    }
}
