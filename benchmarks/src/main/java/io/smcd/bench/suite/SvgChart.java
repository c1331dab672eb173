package io.smcd.bench.suite;

import io.smcd.bench.common.Json;

import java.util.List;
import java.util.Locale;

/**
 * The suite's chart as SVG text, written by hand: one panel per scenario, one horizontal bar per transport showing
 * its ratio to NIO TCP on a logarithmic axis from 0.01x to 100x, drawn from the 1x line, green where the transport
 * beats NIO TCP in that scenario's direction and orange where it loses. The absolute figure and the ratio are written
 * beside each bar; a transport that could not run the scenario gets its status instead of a bar. Stateless.
 */
final class SvgChart {
    static final double MIN_RATIO = 0.01;
    static final double MAX_RATIO = 100;
    private static final int WIDTH = 1080;
    private static final int LABEL_WIDTH = 130;
    private static final int AXIS_LEFT = LABEL_WIDTH + 10;
    private static final int AXIS_WIDTH = 520;
    private static final int ROW_HEIGHT = 18;
    private static final int PANEL_HEADER = 44;
    private static final int PANEL_GAP = 14;

    private SvgChart() {
    }

    /** The x coordinate of {@code ratio} on the axis, clamped to its ends. */
    static double x(double ratio) {
        double clamped = Math.max(MIN_RATIO, Math.min(MAX_RATIO, ratio));
        double decades = Math.log10(MAX_RATIO / MIN_RATIO);
        return AXIS_LEFT + AXIS_WIDTH * Math.log10(clamped / MIN_RATIO) / decades;
    }

    static String render(SuiteReport report, String title) {
        List<SuiteTransport> transports = report.transports();
        List<SuiteScenario> scenarios = report.scenarios();
        int panelHeight = PANEL_HEADER + transports.size() * ROW_HEIGHT + PANEL_GAP;
        int height = 50 + scenarios.size() * panelHeight + 30;
        StringBuilder svg = new StringBuilder(32768);
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, height, WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"22\" font-size=\"14\" font-weight=\"bold\">%s</text>%n", escape(shorten(title, 130))));
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"40\" fill=\"#555\">Bars: ratio to %s on a log axis, from the 1x line;"
                + " green = better than %s, orange = worse. Text: absolute figure (ratio).</text>%n",
                SuiteTransport.BASELINE.option(), SuiteTransport.BASELINE.option()));
        int top = 50;
        for (SuiteScenario scenario : scenarios) {
            panel(svg, report, scenario, transports, top);
            top += panelHeight;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static void panel(StringBuilder svg, SuiteReport report, SuiteScenario scenario, List<SuiteTransport> transports, int top) {
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" font-weight=\"bold\">%s, %s (%s is better)</text>%n",
                top + 14, escape(scenario.title()), escape(scenario.unit()), scenario.higherIsBetter() ? "higher" : "lower"));
        int axisTop = top + PANEL_HEADER - 8;
        int axisBottom = top + PANEL_HEADER + transports.size() * ROW_HEIGHT - 4;
        for (double tick = MIN_RATIO; tick <= MAX_RATIO * 1.0001; tick *= 10) {
            double x = x(tick);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"%s\"/>%n",
                    x, axisTop, x, axisBottom, tick == 1 ? "#333" : "#ddd", tick == 1 ? "1.5" : "1"));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\" fill=\"#777\">%sx</text>%n",
                    x, axisTop - 2, Json.number(tick)));
        }
        int y = top + PANEL_HEADER;
        for (SuiteTransport transport : transports) {
            SuiteResult r = report.summary(transport, scenario);
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\"%s>%s</text>%n", LABEL_WIDTH, y + 9,
                    transport.isSmcd() ? " font-weight=\"bold\"" : "", escape(transport.option())));
            String text;
            if (r == null) {
                text = "not run";
            } else if (!r.counts()) {
                String value = r.status() == SuiteResult.Status.FALLBACK ? Targets.format(r.value()) + " " + scenario.unit() + ", " : "";
                text = r.status().name().toLowerCase(Locale.ROOT) + ": " + value + shorten(r.note(), 44);
            } else {
                double ratio = report.ratio(transport, scenario);
                if (Double.isFinite(ratio)) {
                    double x1 = x(1);
                    double x2 = x(ratio);
                    boolean better = transport == SuiteTransport.BASELINE || ratio == 1 || scenario.better(ratio, 1);
                    String colour = transport == SuiteTransport.BASELINE ? "#888" : better ? "#2e9b4f" : "#e08a1e";
                    double width = Math.max(2, Math.abs(x2 - x1));
                    svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
                            Math.min(x1, x2) - (Math.abs(x2 - x1) < 2 ? 1 : 0), y, width, ROW_HEIGHT - 6, colour));
                }
                text = Targets.format(r.value()) + " " + scenario.unit() + " (" + SuiteReport.ratioText(ratio) + ")";
            }
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\"%s>%s</text>%n", AXIS_LEFT + AXIS_WIDTH + 12, y + 9,
                    r != null && r.counts() ? "" : " fill=\"#999\"", escape(text)));
            y += ROW_HEIGHT;
        }
    }

    private static String shorten(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length - 3) + "...";
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
