package io.smcd.bench.core;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The results of one CoreBench run with the conditions they were measured under: printed as tables and
 * written as JSON. Not thread-safe; filled by the benchmark thread.
 */
final class CoreBenchReport {
    private final BenchOptions options;
    private final Map<String, String> environment;
    private final Instant started = Instant.now();
    private final List<ThroughputResult> throughput = new ArrayList<>();
    private final List<LatencyResult> latency = new ArrayList<>();

    CoreBenchReport(BenchOptions options, Map<String, String> environment) {
        this.options = options;
        this.environment = environment;
    }

    void add(ThroughputResult result) {
        throughput.add(result);
    }

    void add(LatencyResult result) {
        latency.add(result);
    }

    boolean isEmpty() {
        return throughput.isEmpty() && latency.isEmpty();
    }

    void print(PrintStream out) {
        out.println();
        out.printf(Locale.ROOT, "core-bench: %s, %s CPUs, Java %s; %s s warm-up + %s s measured per case; ring %d KiB;"
                        + " load average %s at start, %s at end%n",
                environment.get("cpu"), environment.get("cpus"), environment.get("java"),
                seconds(options.warmup().toNanos()), seconds(options.duration().toNanos()), options.ringSize() / 1024,
                environment.get("loadAverageAtStart"), HostInfo.loadAverage());
        if (!throughput.isEmpty()) {
            ThroughputResult tcp = throughput.stream().filter(r -> r.transport() == Transport.TCP).findFirst().orElse(null);
            out.printf(Locale.ROOT, "%nThroughput, one way, %d KiB writes, child -> parent (MB = 10^6 bytes; content check: %s)%n",
                    options.writeSize() / 1024, options.fullVerify() ? "every byte" : "sampled");
            out.printf(Locale.ROOT, "%-14s %10s %8s %7s %21s %10s%n", "transport", "MB/s", "Gbit/s", "x TCP", "1-s min..max MB/s",
                    "other CPU");
            for (ThroughputResult r : throughput) {
                out.printf(Locale.ROOT, "%-14s %10.1f %8.2f %7s %21s %10s%n", r.transport().label(), r.megabytesPerSecond(),
                        r.gigabitsPerSecond(), tcp == null ? "-" : String.format(Locale.ROOT, "%.2f", r.megabytesPerSecond() / tcp.megabytesPerSecond()),
                        spread(r.perSecondMBps()), cores(r.otherCpuCores()));
            }
        }
        if (!latency.isEmpty()) {
            LatencyResult tcp = latency.stream().filter(r -> r.transport() == Transport.TCP).findFirst().orElse(null);
            out.printf(Locale.ROOT, "%nPing-pong round trip, %d-byte messages, in us (p50 vs TCP = TCP p50 / p50, higher is faster)%n",
                    options.messageSize());
            out.printf(Locale.ROOT, "%-14s %9s %9s %9s %9s %9s %10s %11s %10s%n", "transport", "p50", "p90", "p99", "p99.9", "max",
                    "samples", "p50 vs TCP", "other CPU");
            for (LatencyResult r : latency) {
                out.printf(Locale.ROOT, "%-14s %9.3f %9.3f %9.3f %9.3f %9.1f %10d %11s %10s%n", r.transport().label(), r.p50Us(), r.p90Us(),
                        r.p99Us(), r.p999Us(), r.maxUs(), r.samples(),
                        tcp == null ? "-" : String.format(Locale.ROOT, "%.1fx", tcp.p50Us() / r.p50Us()), cores(r.otherCpuCores()));
            }
        }
        out.printf(Locale.ROOT, "%n'other CPU': cores used by other processes while a case was measured; on %s CPUs,"
                + " values above ~0.05 mean the host was shared and figures (tails above all) are disturbed.%n",
                environment.get("cpus"));
        out.println();
    }

    void writeJson(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, toJson(), StandardCharsets.UTF_8);
    }

    String toJson() {
        ThroughputResult tcpThroughput = throughput.stream().filter(r -> r.transport() == Transport.TCP).findFirst().orElse(null);
        LatencyResult tcpLatency = latency.stream().filter(r -> r.transport() == Transport.TCP).findFirst().orElse(null);
        StringBuilder json = new StringBuilder(4096);
        json.append("{\n");
        json.append("  \"benchmark\": \"core-bench\",\n");
        json.append("  \"started\": ").append(quote(started.toString())).append(",\n");
        json.append("  \"environment\": {");
        String separator = "\n";
        for (Map.Entry<String, String> entry : environment.entrySet()) {
            json.append(separator).append("    ").append(quote(entry.getKey())).append(": ").append(quote(entry.getValue()));
            separator = ",\n";
        }
        json.append(separator).append("    \"loadAverageAtEnd\": ").append(quote(HostInfo.loadAverage()));
        json.append("\n  },\n");
        json.append("  \"settings\": {\n");
        json.append("    \"warmupSeconds\": ").append(seconds(options.warmup().toNanos())).append(",\n");
        json.append("    \"durationSeconds\": ").append(seconds(options.duration().toNanos())).append(",\n");
        json.append("    \"ringBytes\": ").append(options.ringSize()).append(",\n");
        json.append("    \"writeBytes\": ").append(options.writeSize()).append(",\n");
        json.append("    \"messageBytes\": ").append(options.messageSize()).append(",\n");
        json.append("    \"verify\": ").append(quote(options.fullVerify() ? "full" : "sampled")).append(",\n");
        json.append("    \"peerJvmOptions\": ").append(quote(String.join(" ", options.peerJvmOptions()))).append(",\n");
        json.append("    \"quietWaitSeconds\": ").append(seconds(options.quietWait().toNanos())).append("\n");
        json.append("  },\n");
        json.append("  \"throughput\": [");
        separator = "\n";
        for (ThroughputResult r : throughput) {
            json.append(separator).append("    {")
                    .append("\"transport\": ").append(quote(r.transport().label()))
                    .append(", \"megabytesPerSecond\": ").append(number(r.megabytesPerSecond()))
                    .append(", \"gigabitsPerSecond\": ").append(number(r.gigabitsPerSecond()))
                    .append(", \"ratioToTcp\": ").append(tcpThroughput == null ? "null" : number(r.megabytesPerSecond() / tcpThroughput.megabytesPerSecond()))
                    .append(", \"bytesMeasured\": ").append(r.bytes())
                    .append(", \"secondsMeasured\": ").append(number(r.nanos() / 1e9))
                    .append(", \"bytesTotal\": ").append(r.totalBytes())
                    .append(", \"bytesCompared\": ").append(r.comparedBytes())
                    .append(", \"perSecondMegabytesPerSecond\": [")
                    .append(r.perSecondMBps().stream().map(CoreBenchReport::number).collect(Collectors.joining(", ")))
                    .append(']')
                    .append(", \"otherCpuCores\": ").append(number(r.otherCpuCores()))
                    .append('}');
            separator = ",\n";
        }
        json.append(throughput.isEmpty() ? "],\n" : "\n  ],\n");
        json.append("  \"pingpong\": [");
        separator = "\n";
        for (LatencyResult r : latency) {
            json.append(separator).append("    {")
                    .append("\"transport\": ").append(quote(r.transport().label()))
                    .append(", \"samples\": ").append(r.samples())
                    .append(", \"secondsMeasured\": ").append(number(r.nanos() / 1e9))
                    .append(", \"minUs\": ").append(number(r.minUs()))
                    .append(", \"p50Us\": ").append(number(r.p50Us()))
                    .append(", \"p90Us\": ").append(number(r.p90Us()))
                    .append(", \"p99Us\": ").append(number(r.p99Us()))
                    .append(", \"p999Us\": ").append(number(r.p999Us()))
                    .append(", \"maxUs\": ").append(number(r.maxUs()))
                    .append(", \"meanUs\": ").append(number(r.meanUs()))
                    .append(", \"otherCpuCores\": ").append(number(r.otherCpuCores()))
                    .append(", \"p50RatioToTcp\": ").append(tcpLatency == null ? "null" : number(r.p50Us() / tcpLatency.p50Us()))
                    .append(", \"p50SpeedupVsTcp\": ").append(tcpLatency == null ? "null" : number(tcpLatency.p50Us() / r.p50Us()))
                    .append('}');
            separator = ",\n";
        }
        json.append(latency.isEmpty() ? "]\n" : "\n  ]\n");
        json.append("}\n");
        return json.toString();
    }

    private static String spread(List<Double> perSecond) {
        if (perSecond.isEmpty()) {
            return "-";
        }
        double min = perSecond.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double max = perSecond.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        return String.format(Locale.ROOT, "%.0f..%.0f", min, max);
    }

    private static String cores(double cores) {
        return Double.isNaN(cores) ? "?" : String.format(Locale.ROOT, "%.2f", cores);
    }

    private static String seconds(long nanos) {
        return number(nanos / 1e9);
    }

    private static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "null";
        }
        String text = String.format(Locale.ROOT, "%.6f", value);
        text = text.replaceAll("0+$", "");
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20) {
                quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
