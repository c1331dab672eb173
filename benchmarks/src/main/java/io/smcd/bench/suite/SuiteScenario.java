package io.smcd.bench.suite;

import io.smcd.bench.common.Named;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The suite's scenarios, after the seed's benchmarks, in report order. Each has one headline figure (its
 * {@link #unit()}) whose ratio to NIO TCP is reported; {@link #higherIsBetter()} says which way is good.
 */
public enum SuiteScenario implements Named {
    /** sockperf ping-pong: one 14-byte message in flight, round-trip time; headline p50. */
    PINGPONG("pingpong", "ping-pong 14 B, p50 RTT", "us", false),
    /** sockperf throughput: client streams 64000-byte messages, the server reads and checks them. */
    THROUGHPUT("throughput", "throughput 64000 B msgs", "MB/s", true),
    /** iperf3 -R: the server streams 128 KiB writes to the client, which reads and checks them. */
    STREAM("stream", "stream (iperf3-style)", "Gbit/s", true),
    /** ipc-bench: 100-byte ping-pong, round trips per second. */
    MSGRATE("msgrate", "msg rate 100 B", "msgs/s", true),
    /** nginx/wrk: HTTP/1.1 keep-alive requests per second against examples-http. */
    HTTP("http", "HTTP keep-alive", "req/s", true),
    /** The same with both event loop groups at the transports' default size, Netty's 2 x cores threads each. */
    HTTP_DEFAULT_THREADS("http-default-threads", "HTTP keep-alive, default loop threads", "req/s", true),
    /** gRPC-java unary calls, 100 bytes each way, many in flight on one channel; calls per second. */
    GRPC_UNARY("grpc-unary", "gRPC unary 100 B", "calls/s", true),
    /** gRPC-java server streaming, 64 KiB messages, one call at a time. */
    GRPC_STREAM("grpc-stream", "gRPC streaming 64 KiB msgs", "MB/s", true),
    /** Reactor Netty's HttpServer and HttpClient, keep-alive GETs; requests per second. */
    REACTOR_HTTP("reactor-http", "Reactor Netty HTTP keep-alive", "req/s", true),
    /** Connect, one 14-byte echo, close, one after another. */
    CONNRATE("connrate", "connect+echo+close", "conn/s", true),
    /** Ping-pong with a pause longer than the spin budget before each ping; headline p50 RTT. */
    WAKE("wake", "wake-from-idle p50 RTT", "us", false),
    /**
     * Client plus server CPU with idle connections open, in percent of one core; also the memory they hold, per
     * connection: both JVMs' RSS growth and the host's shared memory growth (the DMBs' tmpfs pages), in KiB.
     */
    IDLE_CPU("idle", "idle CPU, 100 conns", "% core", false);

    private final String option;
    private final String title;
    private final String unit;
    private final boolean higherIsBetter;

    SuiteScenario(String option, String title, String unit, boolean higherIsBetter) {
        this.option = option;
        this.title = title;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
    }

    @Override
    public String option() {
        return option;
    }

    public String title() {
        return title;
    }

    public String unit() {
        return unit;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** Whether {@code a} is strictly better than {@code b} in this scenario's headline figure. */
    public boolean better(double a, double b) {
        return higherIsBetter ? a > b : a < b;
    }

    public static SuiteScenario ofOption(String name) {
        return Named.of(SuiteScenario.class, name);
    }

    /** The scenarios of gRPC-java and Reactor Netty over the transport. */
    static final List<SuiteScenario> LIBRARIES = List.of(GRPC_UNARY, GRPC_STREAM, REACTOR_HTTP);
    /**
     * The quick version's scenarios: all but the {@link #LIBRARIES}, whose code paths the JIT needs several seconds of
     * traffic to compile; after the quick version's short warm-up they measured the compiler, not the transport.
     */
    static final List<SuiteScenario> QUICK = Stream.of(values()).filter(s -> !LIBRARIES.contains(s)).toList();

    /** A comma-separated list, "all", "quick" or "libraries"; duplicates dropped, report order kept. */
    static List<SuiteScenario> parseList(String list) {
        return Named.list(SuiteScenario.class, list, Map.of("quick", QUICK, "libraries", LIBRARIES)).stream().sorted().toList();
    }

    @Override
    public String toString() {
        return option;
    }
}
