package io.smcd.bench.common;

import java.time.Duration;
import java.util.List;
import java.util.function.DoubleConsumer;

/**
 * On a shared host, holds the next measurement back (for a bounded time) until other processes use less than a
 * given number of cores: on a two-core host a busy neighbour steals time slices from spinning loops, and that would
 * be measured as the transport's cost. Sampling needs the pause; it waits for nothing else. Stateless; thread-safe.
 */
public final class QuietHost {
    private QuietHost() {
    }

    /**
     * Samples the CPU use of processes other than {@code ours} over windows of {@code sample} until it is below
     * {@code cores} or {@code limit} has passed; tells {@code waiting} the figure of the first busy window.
     */
    public static void await(List<Long> ours, double cores, Duration sample, Duration limit, DoubleConsumer waiting)
            throws InterruptedException {
        CpuSampler cpu = new CpuSampler(ours);
        long deadline = System.nanoTime() + limit.toNanos();
        boolean told = false;
        while (System.nanoTime() < deadline) {
            CpuSampler.Snapshot before = cpu.sample();
            Thread.sleep(sample.toMillis());
            double other = CpuSampler.foreignCores(before, cpu.sample());
            if (!(other >= cores)) {
                return;
            }
            if (!told) {
                waiting.accept(other);
                told = true;
            }
        }
    }
}
