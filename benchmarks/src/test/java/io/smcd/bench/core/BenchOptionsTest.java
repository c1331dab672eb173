package io.smcd.bench.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BenchOptionsTest {
    @Test
    void defaultsMeasureEverythingWithOneMebibyteRings() {
        BenchOptions options = BenchOptions.parse();
        assertEquals(List.of(Transport.LOOPBACK, Transport.COPY, Transport.TCP), options.transports());
        assertEquals(List.of(Scenario.THROUGHPUT, Scenario.PINGPONG), options.scenarios());
        assertEquals(1 << 20, options.ringSize());
        assertEquals(64 * 1024, options.writeSize());
        assertEquals(14, options.messageBytes);
    }

    @Test
    void parsesBothSpellingsOfAnOption() {
        BenchOptions options = BenchOptions.parse("--duration-s", "0.5", "--warmup-s=1", "--transports", "tcp,copy", "--scenarios=pingpong");
        assertEquals(Duration.ofMillis(500), options.run.duration());
        assertEquals(Duration.ofSeconds(1), options.run.warmup());
        assertEquals(List.of(Transport.TCP, Transport.COPY), options.transports());
        assertEquals(List.of(Scenario.PINGPONG), options.scenarios());
    }

    @Test
    void settingsAndTheChildJvmOptions() {
        BenchOptions options = BenchOptions.parse("--peer-jvm-opts", " -Xmx1g  -XX:+UseSerialGC ", "--verify=FULL", "--transports", "smcd-copy");
        assertEquals(List.of("-Xmx1g", "-XX:+UseSerialGC"), options.peerJvmOptions());
        assertEquals(true, options.run.fullVerify());
        assertEquals(List.of(Transport.COPY), options.transports());
        assertEquals(1024, options.settings().get("ring-kib"));
        assertEquals("full", options.settings().get("verify").toString());
        assertEquals(List.of(), BenchOptions.parse("--peer-jvm-opts=").peerJvmOptions());
    }

    @Test
    void rejectsWhatCannotBeRun() {
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--transports", "rdma"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--ring-kib", "100"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--write-kib", "3"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--message-bytes", "4"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--duration-s"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--verify", "most"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--warmup-s", "-1"));
    }
}
