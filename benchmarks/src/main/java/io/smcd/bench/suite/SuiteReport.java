package io.smcd.bench.suite;

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
 * All results of one suite run: every round's result per transport and scenario, their medians, the ratio of each
 * median to the NIO TCP median of the same run, and the targets; printed as tables and written as JSON, CSV and an
 * SVG chart. Not thread-safe; filled by the suite's thread.
 */
final class SuiteReport implements Report {
    /** The metrics the CSV has a column for, metric name to column name. */
    private static final Map<String, String> CSV_METRICS = new LinkedHashMap<>();

    static {
        CSV_METRICS.put("p50Us", "p50_us");
        CSV_METRICS.put("p99Us", "p99_us");
        CSV_METRICS.put("p999Us", "p999_us");
        CSV_METRICS.put("samples", "samples");
        CSV_METRICS.put("clientRssKibPerConn", "client_rss_kib_per_conn");
        CSV_METRICS.put("serverRssKibPerConn", "server_rss_kib_per_conn");
        CSV_METRICS.put("shmemKibPerConn", "shmem_kib_per_conn");
    }

    private final SuiteOptions options;
    private final Map<String, String> environment;
    private final Instant started;
    private final Map<SuiteTransport, Map<SuiteScenario, List<SuiteResult>>> rounds = new LinkedHashMap<>();

    SuiteReport(SuiteOptions options, Map<String, String> environment, Instant started) {
        this.options = options;
        this.environment = new LinkedHashMap<>(environment);
        this.started = started;
    }

    void add(SuiteResult result) {
        rounds.computeIfAbsent(result.transport(), t -> new LinkedHashMap<>())
                .computeIfAbsent(result.scenario(), s -> new ArrayList<>()).add(result);
    }

    @Override
    public boolean isEmpty() {
        return rounds.isEmpty();
    }

    void environment(String key, String value) {
        environment.put(key, value);
    }

    /** Transports with any result, in report order. */
    List<SuiteTransport> transports() {
        return List.of(SuiteTransport.values()).stream().filter(rounds::containsKey).toList();
    }

    /** Scenarios with any result, in report order. */
    List<SuiteScenario> scenarios() {
        return List.of(SuiteScenario.values()).stream()
                .filter(s -> rounds.values().stream().anyMatch(m -> m.containsKey(s))).toList();
    }

    /** The median over the rounds, or null if the pair was not run. */
    SuiteResult summary(SuiteTransport transport, SuiteScenario scenario) {
        List<SuiteResult> results = rounds.getOrDefault(transport, Map.of()).get(scenario);
        return results == null ? null : SuiteResult.median(results);
    }

    /** The counting headline figure of a pair, NaN otherwise. */
    double value(SuiteTransport transport, SuiteScenario scenario) {
        SuiteResult result = summary(transport, scenario);
        return result != null && result.counts() ? result.value() : Double.NaN;
    }

    /** A pair's headline figure over NIO TCP's in the same run; NaN if either is missing or NIO's is zero. */
    double ratio(SuiteTransport transport, SuiteScenario scenario) {
        return ratio(value(transport, scenario), value(SuiteTransport.BASELINE, scenario));
    }

    static double ratio(double value, double baseline) {
        if (!Double.isFinite(value) || !Double.isFinite(baseline) || baseline == 0) {
            return Double.NaN;
        }
        return value / baseline;
    }

    List<Targets.Check> targets() {
        return Targets.evaluate(this::value);
    }

    @Override
    public void print(PrintStream out) {
        out.println();
        out.printf(Locale.ROOT, "smcd benchmark suite (%s): %s, %s CPUs, %s; %d round(s), %s s warm-up + %s s per scenario%n",
                options.full ? "full" : "quick", environment.get("cpu"), environment.get("cpus"), environment.get("java"),
                options.rounds, Json.number(options.run.warmup().toNanos() / 1e9), Json.number(options.run.duration().toNanos() / 1e9));
        out.printf(Locale.ROOT, "load average %s at start, %s at end; ratios are to %s in this run%s%n",
                environment.get("loadAverageAtStart"), HostInfo.loadAverage(), SuiteTransport.BASELINE.option(),
                options.rounds > 1 ? " (medians of the rounds)" : "");
        for (SuiteScenario scenario : scenarios()) {
            printScenario(out, scenario);
        }
        printMatrix(out);
        out.println();
        out.println("Targets (smcd-loopback; aims, not assertions):");
        for (Targets.Check check : targets()) {
            out.printf(Locale.ROOT, "  %-12s %-48s %s%n", check.verdict(), check.target(), check.measured());
        }
        out.println();
    }

    private void printScenario(PrintStream out, SuiteScenario scenario) {
        out.printf(Locale.ROOT, "%n%s, %s (%s is better)%n", scenario.title(), scenario.unit(),
                scenario.higherIsBetter() ? "higher" : "lower");
        List<String> extra = extraColumns(scenario);
        List<String> header = new ArrayList<>(List.of("transport", scenario.unit(), "x NIO"));
        extra.forEach(column -> header.add(column.replace("Us", "")));
        header.add("note");
        TextTable table = new TextTable(true, header);
        for (SuiteTransport transport : transports()) {
            SuiteResult r = summary(transport, scenario);
            if (r == null) {
                continue;
            }
            List<String> row = new ArrayList<>(List.of(transport.option(),
                    r.status() == SuiteResult.Status.OK || r.status() == SuiteResult.Status.FALLBACK ? Targets.format(r.value()) : "-",
                    r.counts() ? ratioText(ratio(transport, scenario)) : "-"));
            extra.forEach(column -> row.add(Targets.format(r.metric(column))));
            row.add((r.status() == SuiteResult.Status.OK ? "" : r.status() + ": ") + r.note());
            table.row(row);
        }
        table.print(out);
    }

    private static List<String> extraColumns(SuiteScenario scenario) {
        switch (scenario) {
            case PINGPONG:
            case WAKE:
                return List.of("p99Us", "p999Us", "samples");
            case MSGRATE:
                return List.of("p50Us", "p99Us");
            case CONNRATE:
                return List.of("p50Us", "connectP50Us", "echoP50Us", "closeP50Us", "p99Us");
            case THROUGHPUT:
                return List.of("gigabitsPerSecond");
            case STREAM:
                return List.of("megabytesPerSecond");
            case HTTP:
            case HTTP_DEFAULT_THREADS:
                return List.of("p50Us", "p99Us", "threads", "serverThreads");
            case GRPC_UNARY:
            case REACTOR_HTTP:
                return List.of("p50Us", "p99Us");
            case GRPC_STREAM:
                return List.of("calls");
            case IDLE_CPU:
                return List.of("clientPercent", "serverPercent", "clientRssKibPerConn", "serverRssKibPerConn", "shmemKibPerConn");
            default:
                return List.of();
        }
    }

    private void printMatrix(PrintStream out) {
        out.printf(Locale.ROOT, "%nRatio to %s (for us and %% core lower is better, else higher)%n", SuiteTransport.BASELINE.option());
        List<String> header = new ArrayList<>(List.of("transport"));
        scenarios().forEach(scenario -> header.add(scenario.option()));
        TextTable table = new TextTable(false, header);
        for (SuiteTransport transport : transports()) {
            List<String> row = new ArrayList<>(List.of(transport.option()));
            for (SuiteScenario scenario : scenarios()) {
                SuiteResult r = summary(transport, scenario);
                row.add(r == null ? "" : r.counts() ? ratioText(ratio(transport, scenario)) : r.status() == SuiteResult.Status.UNSUPPORTED
                        ? "n/a" : r.status() == SuiteResult.Status.FALLBACK ? "fallback" : "failed");
            }
            table.row(row);
        }
        table.print(out);
    }

    static String ratioText(double ratio) {
        if (!Double.isFinite(ratio)) {
            return "-";
        }
        return (ratio >= 100 ? String.format(Locale.ROOT, "%.0f", ratio)
                : ratio >= 10 ? String.format(Locale.ROOT, "%.1f", ratio)
                : ratio >= 0.1 ? String.format(Locale.ROOT, "%.2f", ratio)
                : String.format(Locale.ROOT, "%.3f", ratio)) + "x";
    }

    String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "smcd-suite");
        json.put("started", started.toString());
        json.put("baseline", SuiteTransport.BASELINE.option());
        Map<String, String> conditions = new LinkedHashMap<>(environment);
        conditions.put("loadAverageAtEnd", HostInfo.loadAverage());
        json.put("environment", conditions);
        json.put("settings", options.settings());
        List<Map<String, Object>> results = new ArrayList<>();
        for (SuiteTransport transport : transports()) {
            for (SuiteScenario scenario : scenarios()) {
                SuiteResult r = summary(transport, scenario);
                if (r == null) {
                    continue;
                }
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("transport", transport.option());
                result.put("scenario", scenario.option());
                result.put("status", r.status().name());
                result.put("value", r.value());
                result.put("unit", scenario.unit());
                result.put("higherIsBetter", scenario.higherIsBetter());
                result.put("ratioToBaseline", r.counts() ? ratio(transport, scenario) : Double.NaN);
                result.put("metrics", r.metrics());
                result.put("rounds", rounds.get(transport).get(scenario).stream().map(x -> x.counts() ? x.value() : Double.NaN).toList());
                result.put("note", r.note());
                results.add(result);
            }
        }
        json.put("results", results);
        List<Map<String, String>> targets = new ArrayList<>();
        for (Targets.Check check : targets()) {
            Map<String, String> target = new LinkedHashMap<>();
            target.put("target", check.target());
            target.put("verdict", check.verdict().name());
            target.put("measured", check.measured());
            targets.add(target);
        }
        json.put("targets", targets);
        return Json.write(json);
    }

    String toCsv() {
        StringBuilder csv = new StringBuilder(8192);
        csv.append("transport,scenario,status,value,unit,higher_is_better,ratio_to_")
                .append(SuiteTransport.BASELINE.option().replace('-', '_'));
        CSV_METRICS.forEach((metric, column) -> csv.append(',').append(column));
        csv.append(",rounds,note\n");
        for (SuiteTransport transport : transports()) {
            for (SuiteScenario scenario : scenarios()) {
                SuiteResult r = summary(transport, scenario);
                if (r == null) {
                    continue;
                }
                csv.append(transport.option()).append(',').append(scenario.option()).append(',').append(r.status()).append(',')
                        .append(csvNumber(r.value())).append(',').append(csvText(scenario.unit())).append(',')
                        .append(scenario.higherIsBetter()).append(',')
                        .append(csvNumber(r.counts() ? ratio(transport, scenario) : Double.NaN));
                CSV_METRICS.forEach((metric, column) -> csv.append(',').append(csvNumber(r.metric(metric))));
                csv.append(',').append(rounds.get(transport).get(scenario).size()).append(',').append(csvText(r.note())).append('\n');
            }
        }
        return csv.toString();
    }

    private static String csvNumber(double value) {
        return Double.isFinite(value) ? Json.number(value) : "";
    }

    static String csvText(String text) {
        if (text.contains(",") || text.contains("\"") || text.contains("\n")) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }

    /** Writes suite.json, suite.csv and suite.svg into {@code directory}; returns the three paths. */
    List<Path> write(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path json = directory.resolve("suite.json");
        Path csv = directory.resolve("suite.csv");
        Path svg = directory.resolve("suite.svg");
        Files.writeString(json, toJson(), StandardCharsets.UTF_8);
        Files.writeString(csv, toCsv(), StandardCharsets.UTF_8);
        Files.writeString(svg, SvgChart.render(this, title()), StandardCharsets.UTF_8);
        return List.of(json, csv, svg);
    }

    String title() {
        return String.format(Locale.ROOT, "smcd suite (%s): %s, %s CPUs, Java %s",
                options.full ? "full" : "quick", environment.get("cpu"), environment.get("cpus"),
                System.getProperty("java.specification.version"));
    }
}
