package io.smcd.it.reactor;

import io.smcd.channel.SmcdMode;
import io.smcd.it.LiveThreads;
import io.smcd.it.PrivateDomain;
import io.smcd.it.TrackingThreadFactory;
import io.smcd.reactor.SmcdLoopResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpClient;

/**
 * Reactor Netty's {@code TcpServer} and {@code TcpClient} on {@link SmcdLoopResources}: echoes of every size around
 * the ring's edges, one connection each and several at once, every byte checked and every connection on both sides
 * asserted to have run over SMC-D.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReactorTcpEchoTest {
    private static final Duration BOUND = Duration.ofSeconds(60);

    private final String prefix = "it-rtcp-" + UUID.randomUUID().toString().substring(0, 8);
    private final PrivateDomain domain = PrivateDomain.create();
    private LoopResources loops;
    private ConnectionLog accepted;
    private ConnectionLog connected;
    private DisposableServer server;

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
        server = ReactorEcho.server(loops, true, accepted);
    }

    @AfterEach
    void stopServer() {
        server.disposeNow(BOUND);
    }

    private Connection connect() {
        return TcpClient.newConnection().runOn(loops).remoteAddress(server::address)
                .doOnConnected(connected::add).connectNow(BOUND);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 100, 65_535, 65_536, 65_537, 1_000_003, 8 << 20})
    void echoOfEverySizeOverSmcd(int size) {
        Connection client = connect();
        try {
            ReactorEcho.exchange(client, size, size);
        } finally {
            client.disposeNow(BOUND);
        }
        connected.assertAll(1, SmcdMode.SMCD_LOOPBACK);
        accepted.assertAll(1, SmcdMode.SMCD_LOOPBACK);
    }

    @Test
    void eightConnectionsEchoAtOnce() throws Exception {
        int connections = 8;
        List<Connection> clients = IntStream.range(0, connections).mapToObj(i -> connect()).collect(Collectors.toList());
        TrackingThreadFactory threads = new TrackingThreadFactory(prefix + "-test");
        ExecutorService pool = Executors.newFixedThreadPool(connections, threads);
        try {
            List<Future<?>> exchanges = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                Connection client = clients.get(i);
                int seed = 100 + i;
                exchanges.add(pool.submit(() -> ReactorEcho.exchange(client, seed, 1 << 20)));
            }
            for (Future<?> exchange : exchanges) {
                exchange.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            pool.shutdownNow();
            clients.forEach(c -> c.disposeNow(BOUND));
        }
        threads.assertAllTerminated(BOUND);
        connected.assertAll(connections, SmcdMode.SMCD_LOOPBACK);
        accepted.assertAll(connections, SmcdMode.SMCD_LOOPBACK);
    }
}
