package io.smcd.bench.suite;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuiteReportTest {
    @Test
    void ratiosAreToTheBaselineOfTheSameRun() {
        SuiteReport report = sample();
        assertEquals(0.5, report.ratio(SuiteTransport.SMCD_LOOPBACK, SuiteScenario.PINGPONG), 1e-12);
        assertEquals(4.0, report.ratio(SuiteTransport.SMCD_LOOPBACK, SuiteScenario.THROUGHPUT), 1e-12);
        assertEquals(1.0, report.ratio(SuiteTransport.NIO_TCP, SuiteScenario.THROUGHPUT), 1e-12);
        // Medians of the rounds: 1000 and 3000 MB/s for smcd, 500 for NIO.
        assertEquals(2000, report.value(SuiteTransport.SMCD_COPY, SuiteScenario.THROUGHPUT), 1e-12);
        // A fallback never counts, and neither does anything without a baseline.
        assertTrue(Double.isNaN(report.ratio(SuiteTransport.SMCD_COPY, SuiteScenario.PINGPONG)));
        assertTrue(Double.isNaN(report.ratio(SuiteTransport.EPOLL_UDS, SuiteScenario.IDLE_CPU)));
        assertTrue(Double.isNaN(SuiteReport.ratio(1, 0)));
        assertEquals("0.50x", SuiteReport.ratioText(0.5));
        assertEquals("15.0x", SuiteReport.ratioText(15));
        assertEquals("0.020x", SuiteReport.ratioText(0.02));
    }

    @Test
    void targetsAreJudgedOnRatiosAndMissingFiguresAreSaidToBeMissing() {
        Map<String, Targets.Verdict> verdicts = new java.util.HashMap<>();
        for (Targets.Check check : sample().targets()) {
            verdicts.put(check.target(), check.verdict());
        }
        assertEquals(Targets.Verdict.MISSED, verdicts.get("ping-pong p50 RTT <= 0.05x NIO TCP"));
        assertEquals(Targets.Verdict.MET, verdicts.get("64000 B throughput >= 4x NIO TCP"));
        assertEquals(Targets.Verdict.NOT_MEASURED, verdicts.get("HTTP requests/s >= 2x NIO TCP"));
        assertEquals(Targets.Verdict.MET, verdicts.get("HTTP, default loop threads, >= 2x NIO TCP"));
        assertEquals(Targets.Verdict.MISSED, verdicts.get("loopback device >= 1.5x copy device, throughput"));
        assertEquals(Targets.Verdict.MET, verdicts.get("idle CPU < 1 % of a core"));
    }

    @Test
    void printsEveryTransportWithItsStatus() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        sample().print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("smcd-copy") && text.contains("FALLBACK: ran TCP"), text);
        assertTrue(text.contains("UNSUPPORTED: epoll <missing>"), text);
        assertTrue(text.contains("4.00x"), text);
        assertTrue(text.contains("shmemKibPerConn") && text.contains("2,056"), text);
        assertTrue(text.contains("HTTP keep-alive, default loop threads, req/s") && text.contains("2.50x"), text);
    }

    @Test
    void writesJsonCsvAndAWellFormedSvg(@TempDir Path directory) throws Exception {
        List<Path> files = sample().write(directory);
        String json = Files.readString(files.get(0));
        assertTrue(json.contains("\"transport\": \"smcd-loopback\", \"scenario\": \"throughput\", \"status\": \"OK\", \"value\": 2000"), json);
        assertTrue(json.contains("\"ratioToBaseline\": 4"), json);
        assertTrue(json.contains("\"rounds\": [1000, 3000]"), json);
        assertTrue(json.contains("\"verdict\": \"MET\""), json);
        assertEquals(count(json, '{'), count(json, '}'));
        assertEquals(count(json, '['), count(json, ']'));
        List<String> csv = Files.readAllLines(files.get(1));
        assertEquals("transport,scenario,status,value,unit,higher_is_better,ratio_to_nio_tcp,p50_us,p99_us,p999_us,samples,"
                + "client_rss_kib_per_conn,server_rss_kib_per_conn,shmem_kib_per_conn,rounds,note", csv.get(0));
        assertTrue(csv.contains("smcd-loopback,pingpong,OK,10,us,false,0.5,10,30,,,,,,1,"), csv.toString());
        assertTrue(csv.contains("smcd-loopback,idle,OK,0.25,% core,false,0.5,,,,,120,80.5,2056,1,"), csv.toString());
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("epoll-uds,idle,UNSUPPORTED,,% core,false,,") && l.endsWith("\"epoll <missing>, really\"")),
                csv.toString());
        Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(Files.readAllBytes(files.get(2))));
        assertEquals("svg", svg.getDocumentElement().getNodeName());
        assertTrue(svg.getElementsByTagName("rect").getLength() > 3);
    }

    @Test
    void chartAxisIsLogarithmicAndClamped() {
        double one = SvgChart.x(1);
        assertEquals(one - SvgChart.x(0.1), SvgChart.x(10) - one, 1e-9);
        assertEquals(SvgChart.x(SvgChart.MAX_RATIO), SvgChart.x(1e9), 1e-9);
        assertEquals(SvgChart.x(SvgChart.MIN_RATIO), SvgChart.x(0), 1e-9);
        assertEquals("a &lt;b&gt; &amp; &quot;c&quot;", SvgChart.escape("a <b> & \"c\""));
    }

    /** NIO plus smcd figures with one fallback, one unsupported pair and two rounds of one pair. */
    private static SuiteReport sample() {
        SuiteReport report = new SuiteReport(SuiteOptions.parse(), Map.of("cpu", "Test CPU", "cpus", "2", "java", "17"), Instant.EPOCH);
        report.add(SuiteResult.ok(SuiteTransport.NIO_TCP, SuiteScenario.PINGPONG, 20, Map.of("p50Us", 20.0, "p99Us", 40.0), ""));
        report.add(SuiteResult.ok(SuiteTransport.SMCD_LOOPBACK, SuiteScenario.PINGPONG, 10, Map.of("p50Us", 10.0, "p99Us", 30.0), ""));
        report.add(SuiteResult.ok(SuiteTransport.SMCD_COPY, SuiteScenario.PINGPONG, 11, Map.of(), "").asFallback("ran TCP"));
        report.add(SuiteResult.ok(SuiteTransport.NIO_TCP, SuiteScenario.THROUGHPUT, 500, Map.of(), ""));
        report.add(SuiteResult.ok(SuiteTransport.SMCD_LOOPBACK, SuiteScenario.THROUGHPUT, 1000, Map.of(), ""));
        report.add(SuiteResult.ok(SuiteTransport.SMCD_LOOPBACK, SuiteScenario.THROUGHPUT, 3000, Map.of(), ""));
        report.add(SuiteResult.ok(SuiteTransport.SMCD_COPY, SuiteScenario.THROUGHPUT, 2000, Map.of(), ""));
        report.add(SuiteResult.ok(SuiteTransport.NIO_TCP, SuiteScenario.HTTP_DEFAULT_THREADS, 1000, Map.of("threads", 4.0), ""));
        report.add(SuiteResult.ok(SuiteTransport.SMCD_LOOPBACK, SuiteScenario.HTTP_DEFAULT_THREADS, 2500, Map.of("threads", 4.0), ""));
        report.add(SuiteResult.ok(SuiteTransport.NIO_TCP, SuiteScenario.IDLE_CPU, 0.5, Map.of(), ""));
        report.add(SuiteResult.ok(SuiteTransport.SMCD_LOOPBACK, SuiteScenario.IDLE_CPU, 0.25,
                Map.of("clientRssKibPerConn", 120.0, "serverRssKibPerConn", 80.5, "shmemKibPerConn", 2056.0), ""));
        report.add(SuiteResult.unsupported(SuiteTransport.EPOLL_UDS, SuiteScenario.IDLE_CPU, "epoll <missing>, really"));
        return report;
    }

    private static long count(String text, char c) {
        return text.chars().filter(x -> x == c).count();
    }
}
