package io.smcd.bench.suite;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import org.HdrHistogram.Histogram;

import java.net.SocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Connect, one 14-byte echo, close; again and again, {@code parallel} connections at a time, all driven from one
 * event loop. A connection counts if it started after the warm-up; the rate is counted connections over the time
 * from the first counted start to the last counted close. Every connection's transport is checked: an smcd one that
 * fell back to TCP is tallied and reported.
 *
 * <p>Confined to {@code loop} once {@link #start()} has been called.
 */
final class ConnectionRate {
    static final int MESSAGE_SIZE = 14;

    private final Bootstrap bootstrap;
    private final SocketAddress address;
    private final EventLoop loop;
    private final int parallel;
    private final Function<Channel, String> modeProblem;
    private final long warmupNanos;
    private final long windowNanos;
    private final Histogram histogram = new Histogram(1, PingPong.HISTOGRAM_MAX_NANOS, 3);
    private final Histogram connect = new Histogram(1, PingPong.HISTOGRAM_MAX_NANOS, 3);
    private final Histogram echo = new Histogram(1, PingPong.HISTOGRAM_MAX_NANOS, 3);
    private final Histogram close = new Histogram(1, PingPong.HISTOGRAM_MAX_NANOS, 3);
    private final Map<String, Integer> problems = new LinkedHashMap<>();
    private final CompletableFuture<ConnectionRate> done = new CompletableFuture<>();

    private long warmupEnd;
    private long windowEnd;
    private long firstStart = -1;
    private long lastClose;
    private long sequence;
    private int running;
    private long connections;

    ConnectionRate(Bootstrap bootstrap, SocketAddress address, int parallel, Function<Channel, String> modeProblem,
                   long warmupNanos, long windowNanos) {
        this.bootstrap = bootstrap;
        this.address = address;
        this.loop = (EventLoop) bootstrap.config().group().next();
        this.parallel = parallel;
        this.modeProblem = modeProblem;
        this.warmupNanos = warmupNanos;
        this.windowNanos = windowNanos;
    }

    CompletableFuture<ConnectionRate> start() {
        loop.execute(() -> {
            long now = System.nanoTime();
            warmupEnd = now + warmupNanos;
            windowEnd = warmupEnd + windowNanos;
            for (int i = 0; i < parallel; i++) {
                running++;
                next();
            }
        });
        return done;
    }

    private void next() {
        long start = System.nanoTime();
        if (start >= windowEnd || done.isDone()) {
            if (--running == 0) {
                done.complete(this);
            }
            return;
        }
        OneEcho one = new OneEcho(sequence++, MESSAGE_SIZE, true, modeProblem);
        ChannelFuture connecting = bootstrap.clone(loop).handler(one).connect(address);
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                done.completeExceptionally(f.cause());
            }
        });
        one.done().whenComplete((problem, failure) -> {
            if (failure != null) {
                done.completeExceptionally(failure);
                return;
            }
            long end = System.nanoTime();
            if (problem != null) {
                problems.merge(problem, 1, Integer::sum);
            }
            if (start >= warmupEnd) {
                if (firstStart < 0) {
                    firstStart = start;
                }
                lastClose = end;
                connections++;
                histogram.recordValue(Math.min(end - start, PingPong.HISTOGRAM_MAX_NANOS));
                connect.recordValue(Math.max(0, Math.min(one.connectNanos(), PingPong.HISTOGRAM_MAX_NANOS)));
                echo.recordValue(Math.max(0, Math.min(one.echoNanos(), PingPong.HISTOGRAM_MAX_NANOS)));
                close.recordValue(Math.max(0, Math.min(one.closeNanos(end), PingPong.HISTOGRAM_MAX_NANOS)));
            }
            // Runs on the loop: the close listener that completes the echo future does.
            next();
        });
    }

    /** Counted connections per second. */
    double perSecond() {
        return connections == 0 ? Double.NaN : connections * 1e9 / (lastClose - firstStart);
    }

    long connections() {
        return connections;
    }

    Histogram histogram() {
        return histogram;
    }

    /** Connect start to {@code channelActive}, per counted connection. */
    Histogram connectHistogram() {
        return connect;
    }

    /** {@code channelActive} to the whole echo. */
    Histogram echoHistogram() {
        return echo;
    }

    /** The whole echo to the completed close. */
    Histogram closeHistogram() {
        return close;
    }

    /** Transport problems by description and count, e.g. smcd connections that ran over TCP. */
    Map<String, Integer> problems() {
        return problems;
    }
}
