package io.smcd.bench.suite;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What one scenario on one transport gave: a status, the headline figure in the scenario's unit, further metrics
 * (percentiles, sample counts, bytes) and a note. It travels from the client JVM to the parent as one line of
 * {@code key=value} words. Immutable.
 *
 * @param transport the transport
 * @param scenario  the scenario
 * @param status    whether the figure counts
 * @param value     the headline figure in {@link SuiteScenario#unit()}; NaN unless measured
 * @param metrics   further figures by name, in insertion order
 * @param note      why it failed, was skipped or fell back, or what is worth knowing; empty if nothing
 */
public record SuiteResult(SuiteTransport transport, SuiteScenario scenario, Status status, double value,
                          Map<String, Double> metrics, String note) {

    /** How a result may be used. */
    public enum Status {
        /** Measured as intended; the figure counts. */
        OK,
        /** Measured, but some smcd connection ran over TCP instead of the wanted device: shown, never credited. */
        FALLBACK,
        /** The scenario broke (an exception, a lost byte, a dead JVM); {@link #note()} says how. */
        FAILED,
        /** This transport cannot run the scenario here (for example its native library does not load). */
        UNSUPPORTED
    }

    public SuiteResult {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(status, "status");
        metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        note = note == null ? "" : note;
    }

    public static SuiteResult ok(SuiteTransport transport, SuiteScenario scenario, double value, Map<String, Double> metrics, String note) {
        return new SuiteResult(transport, scenario, Status.OK, value, metrics, note);
    }

    public static SuiteResult failed(SuiteTransport transport, SuiteScenario scenario, String why) {
        return new SuiteResult(transport, scenario, Status.FAILED, Double.NaN, Map.of(), why);
    }

    public static SuiteResult unsupported(SuiteTransport transport, SuiteScenario scenario, String why) {
        return new SuiteResult(transport, scenario, Status.UNSUPPORTED, Double.NaN, Map.of(), why);
    }

    /** This result marked as a fallback, with {@code why} added to its note. */
    public SuiteResult asFallback(String why) {
        return new SuiteResult(transport, scenario, Status.FALLBACK, value, metrics, note.isEmpty() ? why : note + "; " + why);
    }

    /** Whether the headline figure counts for ratios and targets. */
    public boolean counts() {
        return status == Status.OK && Double.isFinite(value);
    }

    /** A metric, or NaN if absent. */
    public double metric(String name) {
        Double metric = metrics.get(name);
        return metric == null ? Double.NaN : metric;
    }

    /** One line of space-separated {@code key=value} words, values URL-encoded. */
    public String toLine() {
        StringBuilder line = new StringBuilder();
        line.append("transport=").append(transport.option())
                .append(" scenario=").append(scenario.option())
                .append(" status=").append(status.name())
                .append(" value=").append(format(value))
                .append(" note=").append(URLEncoder.encode(note, StandardCharsets.UTF_8));
        for (Map.Entry<String, Double> metric : metrics.entrySet()) {
            line.append(" m.").append(URLEncoder.encode(metric.getKey(), StandardCharsets.UTF_8)).append('=').append(format(metric.getValue()));
        }
        return line.toString();
    }

    /** The inverse of {@link #toLine()}. */
    public static SuiteResult fromLine(String line) {
        SuiteTransport transport = null;
        SuiteScenario scenario = null;
        Status status = null;
        double value = Double.NaN;
        String note = "";
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (String word : line.trim().split(" ")) {
            int equals = word.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("word=" + word + " in result line is not key=value");
            }
            String key = word.substring(0, equals);
            String text = word.substring(equals + 1);
            switch (key) {
                case "transport" -> transport = SuiteTransport.ofOption(text);
                case "scenario" -> scenario = SuiteScenario.ofOption(text);
                case "status" -> status = Status.valueOf(text);
                case "value" -> value = parse(text);
                case "note" -> note = URLDecoder.decode(text, StandardCharsets.UTF_8);
                default -> {
                    if (!key.startsWith("m.")) {
                        throw new IllegalArgumentException("key=" + key + " unknown in result line");
                    }
                    metrics.put(URLDecoder.decode(key.substring(2), StandardCharsets.UTF_8), parse(text));
                }
            }
        }
        if (transport == null || scenario == null || status == null) {
            throw new IllegalArgumentException("line=" + line + " lacks transport, scenario or status");
        }
        return new SuiteResult(transport, scenario, status, value, metrics, note);
    }

    /**
     * Combines the rounds of one transport and scenario: the median of each figure over the rounds that count. If
     * none counts, the first round's result stands (a fallback's figures are still shown). The note says how many
     * rounds counted when not all did.
     */
    public static SuiteResult median(List<SuiteResult> rounds) {
        if (rounds.isEmpty()) {
            throw new IllegalArgumentException("rounds is empty");
        }
        List<SuiteResult> counting = rounds.stream().filter(SuiteResult::counts).toList();
        if (counting.isEmpty()) {
            return rounds.get(0);
        }
        if (counting.size() == 1 && rounds.size() == 1) {
            return counting.get(0);
        }
        SuiteResult first = counting.get(0);
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (String name : first.metrics.keySet()) {
            metrics.put(name, median(counting.stream().mapToDouble(r -> r.metric(name)).toArray()));
        }
        metrics.put("rounds", (double) counting.size());
        List<String> notes = new ArrayList<>();
        if (counting.size() < rounds.size()) {
            notes.add(String.format(Locale.ROOT, "%d of %d rounds counted", counting.size(), rounds.size()));
            rounds.stream().filter(r -> !r.counts()).map(SuiteResult::note).filter(n -> !n.isEmpty()).findFirst().ifPresent(notes::add);
        }
        if (!first.note.isEmpty()) {
            notes.add(first.note);
        }
        return new SuiteResult(first.transport, first.scenario, Status.OK,
                median(counting.stream().mapToDouble(SuiteResult::value).toArray()), metrics, String.join("; ", notes));
    }

    /** The median, NaNs ignored; NaN if nothing is left. */
    static double median(double[] values) {
        double[] finite = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        if (finite.length == 0) {
            return Double.NaN;
        }
        int middle = finite.length / 2;
        return finite.length % 2 == 1 ? finite[middle] : (finite[middle - 1] + finite[middle]) / 2;
    }

    private static String format(double value) {
        return Double.isFinite(value) ? Double.toString(value) : "NaN";
    }

    private static double parse(String text) {
        return text.equals("NaN") ? Double.NaN : Double.parseDouble(text);
    }
}
