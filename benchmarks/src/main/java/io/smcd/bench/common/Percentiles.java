package io.smcd.bench.common;

import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Map;

/** How every benchmark summarises a histogram of times recorded in nanoseconds. Stateless. */
public final class Percentiles {
    private Percentiles() {
    }

    /** Minimum, p50, p90, p99, p99.9, maximum and mean in microseconds ({@code minUs} ... {@code meanUs}), and {@code samples}. */
    public static Map<String, Double> micros(Histogram nanos) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("minUs", nanos.getMinValue() / 1e3);
        metrics.put("p50Us", nanos.getValueAtPercentile(50) / 1e3);
        metrics.put("p90Us", nanos.getValueAtPercentile(90) / 1e3);
        metrics.put("p99Us", nanos.getValueAtPercentile(99) / 1e3);
        metrics.put("p999Us", nanos.getValueAtPercentile(99.9) / 1e3);
        metrics.put("maxUs", nanos.getMaxValue() / 1e3);
        metrics.put("meanUs", nanos.getMean() / 1e3);
        metrics.put("samples", (double) nanos.getTotalCount());
        return metrics;
    }
}
