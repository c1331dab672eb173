package io.smcd.bench.core;

import io.smcd.bench.common.HostInfo;
import io.smcd.bench.common.Json;
import io.smcd.bench.common.Report;
import io.smcd.bench.common.TextTable;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results of one CoreBench run with the conditions they were measured under: printed as tables and written as
 * JSON. Not thread-safe; filled by the benchmark thread.
 */
final class CoreBenchReport implements Report {
    private final BenchOptions options;
    private final Map<String, String> environment = HostInfo.environment();
    private final Instant started = Instant.now();
    private final List<CoreResult> results = new ArrayList<>();

    CoreBenchReport(BenchOptions options) {
        this.options = options;
        environment.put("shm", options.run.shmBase().toString());
    }

    void add(CoreResult result) {
        results.add(result);
    }

    @Override
    public boolean isEmpty() {
        return results.isEmpty();
    }

    @Override
    public void print(PrintStream out) {
        out.printf(Locale.ROOT, "%ncore-bench: %s, %s CPUs, Java %s; %s s warm-up + %s s measured per case; ring %d KiB;"
                        + " load average %s at start, %s at end%n",
                environment.get("cpu"), environment.get("cpus"), environment.get("java"), Json.number(options.run.warmup().toNanos() / 1e9),
                Json.number(options.run.duration().toNanos() / 1e9), options.ringSize() / 1024, environment.get("loadAverageAtStart"),
                HostInfo.loadAverage());
        if (!of(Scenario.THROUGHPUT).isEmpty()) {
            out.printf(Locale.ROOT, "%nThroughput, one way, %d KiB writes, child -> parent (MB = 10^6 bytes; content check: %s)%n",
                    options.writeSize() / 1024, options.run.fullVerify() ? "every byte" : "sampled");
            TextTable table = new TextTable(false, List.of("transport", "MB/s", "Gbit/s", "x TCP", "1-s min..max MB/s", "other CPU"));
            for (CoreResult r : of(Scenario.THROUGHPUT)) {
                table.row(List.of(r.transport().label(), fixed("%.1f", r.value()), fixed("%.2f", r.metric("gigabitsPerSecond")),
                        fixed("%.2f", r.value() / tcp(Scenario.THROUGHPUT)), spread(r.perSecond()), fixed("%.2f", r.otherCpuCores())));
            }
            table.print(out);
        }
        if (!of(Scenario.PINGPONG).isEmpty()) {
            out.printf(Locale.ROOT, "%nPing-pong round trip, %d-byte messages, in us (p50 vs TCP = TCP p50 / p50, higher is faster)%n",
                    options.messageBytes);
            TextTable table = new TextTable(false, List.of("transport", "p50", "p90", "p99", "p99.9", "max", "samples", "p50 vs TCP",
                    "other CPU"));
            for (CoreResult r : of(Scenario.PINGPONG)) {
                table.row(List.of(r.transport().label(), fixed("%.3f", r.value()), fixed("%.3f", r.metric("p90Us")),
                        fixed("%.3f", r.metric("p99Us")), fixed("%.3f", r.metric("p999Us")), fixed("%.1f", r.metric("maxUs")),
                        fixed("%.0f", r.metric("samples")), fixed("%.1fx", tcp(Scenario.PINGPONG) / r.value()),
                        fixed("%.2f", r.otherCpuCores())));
            }
            table.print(out);
        }
        out.printf(Locale.ROOT, "%n'other CPU': cores used by other processes while a case was measured; on %s CPUs,"
                + " values above ~0.05 mean the host was shared and figures (tails above all) are disturbed.%n%n", environment.get("cpus"));
    }

    void writeJson(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, toJson(), StandardCharsets.UTF_8);
    }

    String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "core-bench");
        json.put("started", started.toString());
        Map<String, String> conditions = new LinkedHashMap<>(environment);
        conditions.put("loadAverageAtEnd", HostInfo.loadAverage());
        json.put("environment", conditions);
        json.put("settings", options.settings());
        for (Scenario scenario : Scenario.values()) {
            List<Map<String, Object>> cases = new ArrayList<>();
            for (CoreResult r : of(scenario)) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("transport", r.transport().label());
                c.putAll(r.metrics());
                if (scenario == Scenario.THROUGHPUT) {
                    c.put("ratioToTcp", r.value() / tcp(scenario));
                    c.put("perSecondMegabytesPerSecond", r.perSecond());
                } else {
                    c.put("p50RatioToTcp", r.value() / tcp(scenario));
                    c.put("p50SpeedupVsTcp", tcp(scenario) / r.value());
                }
                c.put("otherCpuCores", r.otherCpuCores());
                cases.add(c);
            }
            json.put(scenario.option(), cases);
        }
        return Json.write(json);
    }

    private List<CoreResult> of(Scenario scenario) {
        return results.stream().filter(r -> r.scenario() == scenario).toList();
    }

    /** The TCP figure of {@code scenario}, NaN if TCP was not run. */
    private double tcp(Scenario scenario) {
        return of(scenario).stream().filter(r -> r.transport() == Transport.TCP).mapToDouble(CoreResult::value).findFirst().orElse(Double.NaN);
    }

    private static String spread(List<Double> perSecond) {
        if (perSecond.isEmpty()) {
            return "-";
        }
        double min = perSecond.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double max = perSecond.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        return String.format(Locale.ROOT, "%.0f..%.0f", min, max);
    }

    /** {@code value} in {@code format}, or "-" when it is unknown. */
    private static String fixed(String format, double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, format, value) : "-";
    }
}
