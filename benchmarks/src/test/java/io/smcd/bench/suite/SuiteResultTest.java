package io.smcd.bench.suite;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuiteResultTest {
    @Test
    void travelsAsOneLineWithoutLosingAnything() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("p99Us", 12.5);
        metrics.put("odd name=1 %", Double.NaN);
        SuiteResult result = SuiteResult.ok(SuiteTransport.IO_URING_TCP, SuiteScenario.WAKE, 3.25, metrics, "a note, with = and % and spaces")
                .asFallback("ran TCP: PEERNOSMC (0x...)/NONE");
        String line = result.toLine();
        assertFalse(line.contains("\n"));
        SuiteResult back = SuiteResult.fromLine(line);
        assertEquals(result.transport(), back.transport());
        assertEquals(result.scenario(), back.scenario());
        assertEquals(SuiteResult.Status.FALLBACK, back.status());
        assertEquals(3.25, back.value());
        assertEquals(result.note(), back.note());
        assertEquals(List.copyOf(metrics.keySet()), List.copyOf(back.metrics().keySet()));
        assertEquals(12.5, back.metric("p99Us"));
        assertTrue(Double.isNaN(back.metric("odd name=1 %")));
        assertTrue(Double.isNaN(back.metric("absent")));
        assertFalse(back.counts());
    }

    @Test
    void medianOfRoundsThatCount() {
        SuiteResult a = ok(10, 1);
        SuiteResult b = ok(30, 3);
        SuiteResult c = ok(20, 2);
        SuiteResult failed = SuiteResult.failed(SuiteTransport.NIO_TCP, SuiteScenario.MSGRATE, "peer died");
        SuiteResult odd = SuiteResult.median(List.of(a, b, c));
        assertEquals(20, odd.value());
        assertEquals(2, odd.metric("x"));
        assertEquals(3, odd.metric("rounds"));
        SuiteResult even = SuiteResult.median(List.of(a, failed, b));
        assertEquals(20, even.value());
        assertEquals(2, even.metric("rounds"));
        assertTrue(even.note().contains("2 of 3 rounds") && even.note().contains("peer died"), even.note());
        assertEquals(SuiteResult.Status.FAILED, SuiteResult.median(List.of(failed)).status());
        assertEquals(10, SuiteResult.median(List.of(a)).value());
    }

    @Test
    void medianIgnoresMissingValues() {
        assertEquals(2.5, SuiteResult.median(new double[] {4, Double.NaN, 1, 3, 2}));
        assertTrue(Double.isNaN(SuiteResult.median(new double[] {Double.NaN})));
    }

    private static SuiteResult ok(double value, double x) {
        return SuiteResult.ok(SuiteTransport.NIO_TCP, SuiteScenario.MSGRATE, value, Map.of("x", x), "");
    }
}
