package io.smcd.bench.suite;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.smcd.bench.common.Percentiles;
import io.smcd.bench.common.PeerProcess;
import io.smcd.bench.common.PeerSide;
import io.smcd.bench.common.Words;
import io.smcd.channel.SmcdMode;
import io.smcd.channel.SmcdSocketChannel;
import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The client JVM of one transport: runs the scenarios {@link BenchSuite} asks for against the {@link SuiteServer} of
 * the same transport, on one event loop, and answers each with a {@link SuiteResult} line. Exits when told to, when
 * its stdin ends, or when its parent is gone.
 *
 * <p>Arguments: {@code --transport --domain --sockets --dmb --spin --echo --data}.
 */
public final class SuiteClient {
    /** Time a scenario may take beyond its warm-up and window before it is declared hung. */
    private static final long GRACE_SECONDS = 30;

    private final NettyTransport transport;
    private final EventLoopGroup group;
    private final SocketAddress echo;
    private final SocketAddress data;
    private final ScheduledExecutorService timer;
    private final List<Channel> idle = new ArrayList<>();

    private SuiteClient(NettyTransport transport, SocketAddress echo, SocketAddress data) {
        this.transport = transport;
        this.group = transport.newGroup(1, "suite-client");
        this.echo = echo;
        this.data = data;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "suite-client-timer");
            thread.setDaemon(true);
            return thread;
        });
    }

    public static void main(String[] args) {
        PeerSide.main(() -> {
            SuiteChild child = SuiteChild.start(args);
            NettyTransport transport = child.transport();
            SuiteClient client = new SuiteClient(transport, transport.parse(child.argument("echo", null)),
                    transport.parse(child.argument("data", null)));
            boolean told = false;
            try {
                told = client.serve();
            } finally {
                client.close();
                if (!told) {
                    child.cleanUpIfOrphaned();
                }
            }
            PeerSide.answer(PeerProcess.BYE, "");
        });
    }

    /** Answers commands until EXIT (returns true) or the end of stdin (returns false). */
    private boolean serve() throws Exception {
        PeerSide.answer(PeerProcess.READY, "");
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = commands.readLine()) != null) {
            List<String> words = Arrays.asList(line.trim().split("\\s+"));
            switch (words.get(0)) {
                case PeerProcess.EXIT:
                    return true;
                case SuiteProtocol.WARMUP:
                    PeerSide.answer(SuiteProtocol.WARMED, warmUp(Double.parseDouble(words.get(1))));
                    break;
                case SuiteProtocol.RUN: {
                    SuiteScenario scenario = SuiteScenario.ofOption(words.get(1));
                    SuiteResult result;
                    try {
                        result = run(scenario, Words.pairs(words.subList(2, words.size())));
                    } catch (Throwable t) {
                        result = SuiteResult.failed(transport.transport(), scenario, describe(t));
                    }
                    PeerSide.answer(SuiteProtocol.RESULT, result.toLine());
                    break;
                }
                case SuiteProtocol.IDLE_OPEN:
                    PeerSide.answer(SuiteProtocol.IDLE_OPENED, openIdle(Integer.parseInt(words.get(1))));
                    break;
                case SuiteProtocol.IDLE_CLOSE:
                    closeIdle();
                    PeerSide.answer(SuiteProtocol.IDLE_CLOSED, "");
                    break;
                case "":
                    break;
                default:
                    throw new IllegalArgumentException("command=" + line + " unknown");
            }
        }
        return false;
    }

    private void close() {
        closeIdle();
        timer.shutdownNow();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    /**
     * Unrecorded traffic of every kind, so the JIT has compiled the data path and the connect path before anything is
     * measured, on every transport alike.
     */
    private String warmUp(double seconds) {
        long quarter = (long) (seconds * 1e9 / 4);
        if (quarter <= 0) {
            return "skipped";
        }
        try {
            pingPong(SuiteScenario.PINGPONG, 14, 0, quarter, 0);
            stream(SuiteScenario.THROUGHPUT, true, 64000, 0, quarter, false);
            stream(SuiteScenario.STREAM, false, 128 * 1024, 0, quarter, false);
            connectionRate(1, 0, quarter);
            return "ok";
        } catch (Throwable t) {
            return "failed: " + describe(t);
        }
    }

    SuiteResult run(SuiteScenario scenario, Map<String, String> p) throws Exception {
        long warmup = nanos(p.get("warmup"));
        long window = nanos(p.get("duration"));
        switch (scenario) {
            case PINGPONG:
                return pingPong(scenario, 14, warmup, window, 0);
            case MSGRATE:
                return pingPong(scenario, 100, warmup, window, 0);
            case WAKE:
                return pingPong(scenario, 14, warmup, window, (long) (Double.parseDouble(p.get("gap-ms")) * 1e6));
            case THROUGHPUT:
                return stream(scenario, true, 64000, warmup, window, Boolean.parseBoolean(p.get("verify-full")));
            case STREAM:
                return stream(scenario, false, 128 * 1024, warmup, window, Boolean.parseBoolean(p.get("verify-full")));
            case CONNRATE:
                return connectionRate(Integer.parseInt(p.getOrDefault("parallel", "1")), warmup, window);
            case HTTP:
            case HTTP_DEFAULT_THREADS:
                return HttpScenario.runClient(transport, scenario, transport.parse(p.get("address")), Integer.parseInt(p.get("connections")),
                        Integer.parseInt(p.get("threads")), Integer.parseInt(p.get("server-threads")), warmup, window);
            case GRPC_UNARY:
            case GRPC_STREAM:
                return GrpcScenario.runClient(transport, scenario, transport.parse(p.get("address")), Integer.parseInt(p.get("connections")),
                        Integer.parseInt(p.get("threads")), Integer.parseInt(p.get("server-threads")), warmup, window);
            case REACTOR_HTTP:
                return ReactorScenario.runClient(transport, transport.parse(p.get("address")), Integer.parseInt(p.get("connections")),
                        Integer.parseInt(p.get("threads")), Integer.parseInt(p.get("server-threads")), warmup, window);
            default:
                throw new IllegalArgumentException("scenario=" + scenario + " is not run by the client alone");
        }
    }

    private SuiteResult pingPong(SuiteScenario scenario, int size, long warmup, long window, long gap) throws Exception {
        PingPong handler = new PingPong(size, warmup, window, gap, timer);
        Channel channel = connect(echo, handler);
        String problem = transport.modeProblem(channel);
        try {
            await(handler.done(), warmup + window + (gap > 0 ? window : 0));
        } finally {
            channel.close().syncUninterruptibly();
        }
        Map<String, Double> metrics = Percentiles.micros(handler.histogram());
        double roundTripsPerSecond = handler.roundTrips() * 1e9 / Math.max(1, handler.windowNanos());
        metrics.put("roundTripsPerSecond", roundTripsPerSecond);
        double value = scenario == SuiteScenario.MSGRATE ? roundTripsPerSecond : metrics.get("p50Us");
        String note = scenario == SuiteScenario.WAKE ? String.format(Locale.ROOT, "%.1f ms pause before each ping", gap / 1e6) : "";
        return withProblem(SuiteResult.ok(transport.transport(), scenario, value, metrics, note), problem);
    }

    private SuiteResult stream(SuiteScenario scenario, boolean clientSends, int chunk, long warmup, long window, boolean full)
            throws Exception {
        StreamClient handler = new StreamClient(clientSends, chunk, ThreadLocalRandom.current().nextLong(), warmup, window, full);
        Channel channel = connect(data, handler);
        String problem = transport.modeProblem(channel);
        StreamClient.Measurement m;
        try {
            m = await(handler.done(), warmup + window);
        } finally {
            channel.close().syncUninterruptibly();
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("megabytesPerSecond", m.megabytesPerSecond());
        metrics.put("gigabitsPerSecond", m.gigabitsPerSecond());
        metrics.put("bytes", (double) m.windowBytes());
        metrics.put("seconds", m.windowNanos() / 1e9);
        metrics.put("bytesCompared", (double) m.comparedBytes());
        metrics.put("writeBytes", (double) chunk);
        double value = scenario == SuiteScenario.STREAM ? m.gigabitsPerSecond() : m.megabytesPerSecond();
        String note = (clientSends ? "client writes, server reads" : "server writes, client reads") + ", " + chunk + " B writes";
        return withProblem(SuiteResult.ok(transport.transport(), scenario, value, metrics, note), problem);
    }

    private SuiteResult connectionRate(int parallel, long warmup, long window) throws Exception {
        Bootstrap bootstrap = transport.configure(new Bootstrap().group(group));
        ConnectionRate rate = new ConnectionRate(bootstrap, echo, parallel, transport::modeProblem, warmup, window);
        await(rate.start(), warmup + window);
        Histogram h = rate.histogram();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("connections", (double) rate.connections());
        metrics.put("p50Us", h.getValueAtPercentile(50) / 1e3);
        metrics.put("p99Us", h.getValueAtPercentile(99) / 1e3);
        metrics.put("connectP50Us", rate.connectHistogram().getValueAtPercentile(50) / 1e3);
        metrics.put("echoP50Us", rate.echoHistogram().getValueAtPercentile(50) / 1e3);
        metrics.put("closeP50Us", rate.closeHistogram().getValueAtPercentile(50) / 1e3);
        metrics.put("parallel", (double) parallel);
        SuiteResult result = SuiteResult.ok(transport.transport(), SuiteScenario.CONNRATE, rate.perSecond(), metrics,
                parallel + " in flight; p50 is connect to closed");
        if (!rate.problems().isEmpty()) {
            result = result.asFallback(rate.problems().toString());
        }
        return result;
    }

    private String openIdle(int count) throws Exception {
        Bootstrap bootstrap = transport.configure(new Bootstrap().group(group));
        List<CompletableFuture<String>> echoes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            OneEcho handler = new OneEcho(i, 14, false, transport::modeProblem);
            idle.add(bootstrap.clone().handler(handler).connect(echo).sync().channel());
            echoes.add(handler.done());
        }
        Map<String, Integer> problems = new LinkedHashMap<>();
        for (CompletableFuture<String> e : echoes) {
            String problem = await(e, TimeUnit.SECONDS.toNanos(10));
            if (problem != null) {
                problems.merge(problem, 1, Integer::sum);
            }
        }
        return problems.isEmpty() ? "ok" : "fallback " + problems;
    }

    private void closeIdle() {
        for (Channel channel : idle) {
            channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        idle.clear();
    }

    private Channel connect(SocketAddress address, ChannelHandler handler) throws InterruptedException {
        return transport.configure(new Bootstrap().group(group)).handler(handler).connect(address).sync().channel();
    }

    /** What is wrong with {@code channel}'s transport: an smcd connection that does not run on the wanted device. */
    private static SuiteResult withProblem(SuiteResult result, String problem) {
        return problem == null ? result : result.asFallback(problem);
    }

    private static <T> T await(CompletableFuture<T> future, long plannedNanos) throws Exception {
        try {
            return future.get(TimeUnit.NANOSECONDS.toSeconds(plannedNanos) + GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof Exception ? (Exception) cause : e;
        } catch (TimeoutException e) {
            throw new TimeoutException("no result within " + (TimeUnit.NANOSECONDS.toSeconds(plannedNanos) + GRACE_SECONDS) + " s");
        }
    }

    private static long nanos(String seconds) {
        return (long) (Double.parseDouble(seconds) * 1e9);
    }

    static String describe(Throwable t) {
        StringBuilder text = new StringBuilder(String.valueOf(t));
        for (Throwable cause = t.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append(" <- ").append(cause);
        }
        return text.toString().replace('\n', ' ');
    }
}
