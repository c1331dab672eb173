package io.smcd.it.reactor;

import io.netty.buffer.Unpooled;
import io.smcd.it.Payload;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpServer;

/**
 * A Reactor Netty TCP echo server, and the client side of one echo exchange: payload bytes written in pieces while the
 * echo is read back and checked byte by byte.
 *
 * <p>Stateless; each exchange must own its connection.
 */
final class ReactorEcho {
    static final Duration BOUND = Duration.ofSeconds(60);
    private static final int PIECE = 256 * 1024;

    private ReactorEcho() {
    }

    /** An echo server on 127.0.0.1, an ephemeral port, {@code loops}, reporting each accepted connection. */
    static DisposableServer server(LoopResources loops, boolean preferNative, ConnectionLog accepted) {
        return TcpServer.create()
                .runOn(loops, preferNative)
                .host("127.0.0.1")
                .port(0)
                .doOnConnection(accepted::add)
                .handle((in, out) -> out.send(in.receive().retain()))
                .bindNow(BOUND);
    }

    /** Sends payload {@code seed} of {@code size} bytes over {@code connection} and checks every echoed byte. */
    static void exchange(Connection connection, int seed, int size) {
        byte[] payload = Payload.of(seed, size);
        ByteArrayOutputStream echoed = new ByteArrayOutputStream(size);
        Mono<Void> read = connection.inbound().receive().asByteArray()
                .doOnNext(echoed::writeBytes)
                .takeUntil(piece -> echoed.size() >= size)
                .then();
        Mono<Void> write = connection.outbound()
                .send(Flux.range(0, (size + PIECE - 1) / PIECE)
                        .map(i -> Unpooled.wrappedBuffer(payload, i * PIECE, Math.min(PIECE, size - i * PIECE))))
                .then();
        Mono.when(write, read).block(BOUND);
        Payload.check("tcp echo", echoed.toByteArray(), seed, size);
    }
}
