package io.smcd.bench.suite;

import org.HdrHistogram.Histogram;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load, as wrk and gRPC's benchmark client make it: {@code concurrency} requests in flight, each one's
 * completion starting the next until the window ends. Requests that started after the warm-up and finished within the
 * window are counted and timed; {@link #done()} completes when the last one in flight has, and fails with the first
 * request that failed (a wrong answer included).
 *
 * <p>Thread-safe: completions may arrive on any thread.
 */
final class ClosedLoop {
    /** Starts request number {@code sequence}; the future completes when its answer was received and checked. */
    interface Request {
        CompletableFuture<?> start(long sequence);
    }

    private final Request request;
    private final long measureFrom;
    private final long measureTo;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger inFlight;
    private final Histogram latencies = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private ClosedLoop(Request request, int concurrency, long warmupNanos, long windowNanos) {
        this.request = request;
        this.measureFrom = System.nanoTime() + warmupNanos;
        this.measureTo = measureFrom + windowNanos;
        this.inFlight = new AtomicInteger(concurrency);
    }

    /** Starts the load: {@code concurrency} requests now, for a warm-up and then a measured window. */
    static ClosedLoop start(Request request, int concurrency, long warmupNanos, long windowNanos) {
        ClosedLoop loop = new ClosedLoop(request, concurrency, warmupNanos, windowNanos);
        for (int i = 0; i < concurrency; i++) {
            loop.next();
        }
        return loop;
    }

    CompletableFuture<Void> done() {
        return done;
    }

    /** The latencies of the counted requests, in nanoseconds; read it after {@link #done()}. */
    synchronized Histogram latencies() {
        return latencies.copy();
    }

    /** Counted requests per second of the window; read it after {@link #done()}. */
    synchronized double perSecond() {
        return latencies.getTotalCount() * 1e9 / (measureTo - measureFrom);
    }

    private void next() {
        long started = System.nanoTime();
        if (started - measureTo >= 0 || done.isDone()) {
            if (inFlight.decrementAndGet() == 0) {
                done.complete(null);
            }
            return;
        }
        CompletableFuture<?> answer;
        try {
            answer = request.start(sequence.getAndIncrement());
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
            return;
        }
        answer.whenComplete((ignored, failure) -> {
            if (failure != null) {
                done.completeExceptionally(failure);
                return;
            }
            long ended = System.nanoTime();
            if (started - measureFrom >= 0 && ended - measureTo <= 0) {
                synchronized (this) {
                    latencies.recordValue(Math.min(ended - started, latencies.getHighestTrackableValue()));
                }
            }
            next();
        });
    }
}
