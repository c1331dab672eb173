package io.smcd.bench.suite;

import java.net.SocketAddress;

/**
 * A server that the server JVM starts for one scenario and stops after it, on a group of its own: examples-http's
 * HTTP server, the gRPC bench service or the Reactor Netty HTTP server. Closing it closes its channel and shuts its
 * group down, so that its loops (a busy-wait loop would take a core) do not run on into the next scenarios.
 */
interface ScenarioServer extends AutoCloseable {
    SocketAddress address();

    /** The event loops of its group. */
    int loops();

    @Override
    void close();

    /**
     * Starts the server of {@code scenario} on a group of {@code threads} loops (0: the transport's default).
     *
     * @throws UnsupportedOperationException if the scenario's library cannot run on this transport
     */
    static ScenarioServer start(NettyTransport transport, SuiteScenario scenario, int threads) throws Exception {
        return switch (scenario) {
            case HTTP, HTTP_DEFAULT_THREADS -> HttpScenario.startServer(transport, threads);
            case GRPC_UNARY, GRPC_STREAM -> GrpcScenario.startServer(transport, threads);
            case REACTOR_HTTP -> ReactorScenario.startServer(transport, threads);
            default -> throw new IllegalArgumentException("scenario=" + scenario + " has no server of its own");
        };
    }
}
