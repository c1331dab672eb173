package io.smcd.bench.suite;

import org.junit.jupiter.api.Test;

import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuiteOptionsTest {
    @Test
    void quickByDefaultWithEveryTransportAndScenario() {
        SuiteOptions options = SuiteOptions.parse();
        assertFalse(options.full);
        assertEquals(1, options.rounds);
        assertEquals(List.of(SuiteTransport.SMCD_LOOPBACK, SuiteTransport.SMCD_COPY, SuiteTransport.NIO_TCP, SuiteTransport.EPOLL_BUSY_TCP,
                SuiteTransport.EPOLL_UDS), options.transports());
        assertEquals(SuiteScenario.QUICK, options.scenarios());
        assertFalse(options.scenarios().contains(SuiteScenario.GRPC_UNARY));
        assertEquals(1024 * 1024, options.dmbBytes());
        assertEquals(100, options.idleConnections);
        assertEquals(-1, options.spinNanos());
        assertEquals(Paths.get("results"), options.outputDir);
        // The quick version must stay a few minutes long on two cores: the estimate is an upper bound (4.4 min for the
        // 3.4 min the 1.5 s warm-up takes; the budget was about three minutes with 0.4 s, which measured the JIT).
        assertTrue(options.estimate().compareTo(Duration.ofMinutes(5)) <= 0, options.estimate().toString());
    }

    @Test
    void fullChangesTheDefaultsAndFlagsStillOverrideThem() {
        SuiteOptions full = SuiteOptions.parse("--full");
        assertTrue(full.full);
        assertEquals(3, full.rounds);
        assertEquals(List.of(SuiteTransport.values()), full.transports());
        assertEquals(List.of(SuiteScenario.values()), full.scenarios());
        assertEquals(SuiteScenario.LIBRARIES, SuiteOptions.parse("--scenarios", "libraries").scenarios());
        assertEquals(Duration.ofSeconds(10), full.idle());
        SuiteOptions overridden = SuiteOptions.parse("--rounds=2", "--full", "--idle-s", "3");
        assertEquals(2, overridden.rounds);
        assertEquals(Duration.ofSeconds(3), overridden.idle());
    }

    @Test
    void selectionsKeepReportOrderAndAlwaysIncludeTheBaseline() {
        SuiteOptions options = SuiteOptions.parse("--transports", "epoll-uds,smcd-copy,smcd-copy", "--scenarios=idle,pingpong");
        assertEquals(List.of(SuiteTransport.SMCD_COPY, SuiteTransport.NIO_TCP, SuiteTransport.EPOLL_UDS), options.transports());
        assertEquals(List.of(SuiteScenario.PINGPONG, SuiteScenario.IDLE_CPU), options.scenarios());
        assertEquals(List.of(SuiteTransport.SMCD_LOOPBACK, SuiteTransport.SMCD_COPY, SuiteTransport.NIO_TCP),
                SuiteOptions.parse("--transports", "smcd").transports());
        assertEquals(SuiteTransport.IO_URING_TCP, SuiteTransport.ofOption("IO_URING_TCP"));
        assertEquals(List.of(SuiteScenario.HTTP, SuiteScenario.HTTP_DEFAULT_THREADS),
                SuiteOptions.parse("--scenarios", "http-default-threads,http").scenarios());
        assertTrue(SuiteOptions.parse().scenarios().contains(SuiteScenario.HTTP_DEFAULT_THREADS), "the quick set includes it");
    }

    @Test
    void unitsAreConverted() {
        SuiteOptions options = SuiteOptions.parse("--wake-gap-ms", "1.5", "--spin-us", "20", "--dmb-kib", "64", "--duration-s", "0.25",
                "--jvm-opts", "-Xmx1g -XX:+UseSerialGC");
        assertEquals(Duration.ofNanos(1_500_000), options.wakeGap());
        assertEquals(20_000, options.spinNanos());
        assertEquals(64 * 1024, options.dmbBytes());
        assertEquals(Duration.ofMillis(250), options.run.duration());
        assertTrue(options.jvmOptions().containsAll(List.of("-Xmx1g", "-XX:+UseSerialGC")));
    }

    @Test
    void rejectsWhatCannotBeRun() {
        assertThrows(IllegalArgumentException.class, () -> SuiteOptions.parse("--transports", "rdma"));
        assertThrows(IllegalArgumentException.class, () -> SuiteOptions.parse("--scenarios", "nope"));
        assertThrows(IllegalArgumentException.class, () -> SuiteOptions.parse("--dmb-kib", "100"));
        assertThrows(IllegalArgumentException.class, () -> SuiteOptions.parse("--rounds", "0"));
        assertThrows(IllegalArgumentException.class, () -> SuiteOptions.parse("--duration-s", "x"));
        assertThrows(IllegalArgumentException.class, () -> SuiteOptions.parse("--verify", "some"));
        assertThrows(IllegalArgumentException.class, () -> SuiteOptions.parse("--duration-s"));
        assertThrows(IllegalArgumentException.class, () -> SuiteOptions.parse("positional"));
        assertThrows(IllegalArgumentException.class, () -> SuiteOptions.parse("--bogus", "1"));
    }

    @Test
    void helpReturnsNothingToRunAndShowsTheDefaultsInForce() {
        java.io.PrintStream out = System.out;
        java.io.ByteArrayOutputStream quick = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream full = new java.io.ByteArrayOutputStream();
        try {
            System.setOut(new java.io.PrintStream(quick, true, java.nio.charset.StandardCharsets.UTF_8));
            assertNull(SuiteOptions.parse("--help"));
            System.setOut(new java.io.PrintStream(full, true, java.nio.charset.StandardCharsets.UTF_8));
            assertNull(SuiteOptions.parse("--full", "-h"));
        } finally {
            System.setOut(out);
        }
        String quickHelp = quick.toString(java.nio.charset.StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        String fullHelp = full.toString(java.nio.charset.StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        assertTrue(quickHelp.contains("--rounds=<n> rounds over all transports; figures are medians Default: 1"), quickHelp);
        assertTrue(fullHelp.contains("--rounds=<n> rounds over all transports; figures are medians Default: 3"), fullHelp);
        assertTrue(fullHelp.contains("--idle-s=<s> idle CPU window (the issue's figure is over 10 s) Default: 10"), fullHelp);
        for (SuiteTransport transport : SuiteTransport.values()) {
            assertTrue(quickHelp.contains(transport.option()), transport.option());
        }
        assertTrue(quickHelp.contains("http-default-threads"), quickHelp);
    }

    @Test
    void settingsAreTheOptionsByFlagNameWithTheListsAsRun() {
        Map<String, Object> settings = SuiteOptions.parse("--transports", "smcd", "--dmb-kib=64", "--spin-us", "20").settings();
        assertEquals(64, settings.get("dmb-kib"));
        assertEquals(20.0, settings.get("spin-us"));
        assertEquals(List.of(SuiteTransport.SMCD_LOOPBACK, SuiteTransport.SMCD_COPY, SuiteTransport.NIO_TCP), settings.get("transports"));
        assertEquals(1.5, settings.get("warmup-s"));
        assertFalse(settings.containsKey("help"));
    }
}
