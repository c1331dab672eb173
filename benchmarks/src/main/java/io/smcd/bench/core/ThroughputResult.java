package io.smcd.bench.core;

import java.util.List;

/**
 * One throughput case: what the receiver read inside the measured window, and what it checked over the
 * whole run. Immutable.
 *
 * @param transport     the transport
 * @param bytes         bytes read inside the measured window
 * @param nanos         length of the measured window
 * @param totalBytes    bytes read over the whole run (warm-up and drain included), equal to what the sender sent
 * @param comparedBytes bytes compared against the expected content over the whole run
 * @param perSecondMBps  throughput of each whole second of the measured window, in MB/s: its spread shows noise
 * @param otherCpuCores  CPU used by other processes during the case, in cores ({@link CpuSampler}); NaN if unknown
 */
record ThroughputResult(Transport transport, long bytes, long nanos, long totalBytes, long comparedBytes,
                        List<Double> perSecondMBps, double otherCpuCores) {
    /** Decimal megabytes (10^6 bytes) per second. */
    double megabytesPerSecond() {
        return bytes * 1e3 / nanos;
    }

    double gigabitsPerSecond() {
        return bytes * 8.0 / nanos;
    }
}
