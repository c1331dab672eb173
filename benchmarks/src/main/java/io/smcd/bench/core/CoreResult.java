package io.smcd.bench.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One CoreBench case: its figures by name, in the order the report writes them, and the cores other processes used
 * meanwhile. Immutable.
 *
 * @param transport     the transport
 * @param scenario      the scenario
 * @param metrics       figures by name: for throughput {@code megabytesPerSecond}, {@code gigabitsPerSecond} and the
 *                      byte counts; for ping-pong the {@link io.smcd.bench.common.Percentiles} in us
 * @param perSecond     throughput of each whole second of the window in MB/s (its spread shows noise); empty for ping-pong
 * @param otherCpuCores CPU used by other processes during the case, in cores; NaN if unknown
 */
record CoreResult(Transport transport, Scenario scenario, Map<String, Double> metrics, List<Double> perSecond,
                  double otherCpuCores) {
    CoreResult {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        perSecond = List.copyOf(perSecond);
    }

    /** The headline figure: MB/s for throughput, p50 in us for ping-pong. */
    double value() {
        return metrics.getOrDefault(scenario == Scenario.THROUGHPUT ? "megabytesPerSecond" : "p50Us", Double.NaN);
    }

    double metric(String name) {
        return metrics.getOrDefault(name, Double.NaN);
    }
}
