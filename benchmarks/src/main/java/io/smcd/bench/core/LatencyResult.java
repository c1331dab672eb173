package io.smcd.bench.core;

import org.HdrHistogram.Histogram;

/**
 * One ping-pong case: the round-trip times recorded inside the measured window, in microseconds. Immutable.
 *
 * @param transport the transport
 * @param samples   round trips recorded
 * @param nanos     length of the measured window
 * @param minUs     fastest round trip
 * @param p50Us     median
 * @param p90Us     90th percentile
 * @param p99Us     99th percentile
 * @param p999Us    99.9th percentile
 * @param maxUs     slowest round trip
 * @param meanUs    mean
 * @param otherCpuCores CPU used by other processes during the case, in cores ({@link CpuSampler}); NaN if unknown
 */
record LatencyResult(Transport transport, long samples, long nanos, double minUs, double p50Us, double p90Us,
                     double p99Us, double p999Us, double maxUs, double meanUs, double otherCpuCores) {

    /** Summarises a histogram of round-trip times recorded in nanoseconds. */
    static LatencyResult of(Transport transport, Histogram nanosHistogram, long nanos, double otherCpuCores) {
        return new LatencyResult(transport, nanosHistogram.getTotalCount(), nanos,
                micros(nanosHistogram.getMinValue()),
                micros(nanosHistogram.getValueAtPercentile(50)),
                micros(nanosHistogram.getValueAtPercentile(90)),
                micros(nanosHistogram.getValueAtPercentile(99)),
                micros(nanosHistogram.getValueAtPercentile(99.9)),
                micros(nanosHistogram.getMaxValue()),
                nanosHistogram.getMean() / 1e3,
                otherCpuCores);
    }

    private static double micros(long nanos) {
        return nanos / 1e3;
    }
}
