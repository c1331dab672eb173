package io.smcd.bench.core;

import io.smcd.bench.common.Cli;
import io.smcd.bench.common.Named;
import io.smcd.bench.common.RunOptions;
import io.smcd.bench.common.StreamPattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * CoreBench's command line (picocli): plain settings are read from the fields, converted ones from the methods. Filled
 * once by {@link #parse}; read-only after.
 */
@Command(showDefaultValues = true, name = "java -cp benchmarks/target/benchmarks.jar io.smcd.bench.core.CoreBench", sortOptions = false,
        description = "The SMC-D core alone (no Netty) between two spinning JVMs, next to blocking TCP loopback.",
        footer = "Each case takes warm-up + duration; the default run of 6 cases takes about 75 s.")
final class BenchOptions {
    private static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("--warmup-s", "2"), Map.entry("--duration-s", "10"), Map.entry("--verify", "sampled"),
            Map.entry("--shm", "/dev/shm"), Map.entry("--quiet-wait-s", "0"),
            Map.entry("--transports", "loopback,copy,tcp"), Map.entry("--scenarios", "throughput,pingpong"),
            Map.entry("--ring-kib", "1024"), Map.entry("--write-kib", "64"), Map.entry("--message-bytes", "14"),
            Map.entry("--output", "results/core-bench.json"), Map.entry("--peer-jvm-opts", "-Xmx256m"));

    @Spec
    CommandSpec spec;
    @Mixin
    RunOptions run;
    @Option(names = "--transports", paramLabel = "<list>", description = "loopback, copy, tcp, comma-separated")
    String transports;
    @Option(names = "--scenarios", paramLabel = "<list>", description = "throughput, pingpong, comma-separated")
    String scenarios;
    @Option(names = "--ring-kib", paramLabel = "<KiB>", description = "DMB ring size, 16 KiB << n")
    int ringKib;
    @Option(names = "--write-kib", paramLabel = "<KiB>", description = "throughput write size, a multiple of 4")
    int writeKib;
    @Option(names = "--message-bytes", paramLabel = "<n>", description = "ping-pong message size, >= 8")
    int messageBytes;
    @Option(names = "--output", paramLabel = "<file>", description = "JSON results")
    Path output;
    @Option(names = "--peer-jvm-opts", paramLabel = "<opts>", description = "space-separated options of the child JVM")
    String peerJvmOptions;

    private List<Transport> transportList;
    private List<Scenario> scenarioList;

    /** Parses {@code args}; returns null after printing the usage if help was asked for. */
    static BenchOptions parse(String... args) {
        BenchOptions options = Cli.parse(new BenchOptions(), DEFAULTS, args);
        if (options != null) {
            options.check();
        }
        return options;
    }

    private void check() {
        run.check(0.05);
        transportList = Named.list(Transport.class, transports, Map.of());
        scenarioList = Named.list(Scenario.class, scenarios, Map.of());
        Cli.checkDmbKib("ring-kib", ringKib);
        Cli.check("write-kib", writeKib, 1, 64 * 1024);
        if (writeKib % (StreamPattern.STAMP_STRIDE / 1024) != 0) {
            throw new IllegalArgumentException("write-kib=" + writeKib + " is not a multiple of 4");
        }
        Cli.check("message-bytes", messageBytes, Long.BYTES, ringSize());
    }

    List<Transport> transports() {
        return transportList;
    }

    List<Scenario> scenarios() {
        return scenarioList;
    }

    int ringSize() {
        return ringKib * 1024;
    }

    int writeSize() {
        return writeKib * 1024;
    }

    List<String> peerJvmOptions() {
        return peerJvmOptions.isBlank() ? List.of() : Arrays.asList(peerJvmOptions.trim().split("\\s+"));
    }

    /** The settings as the JSON report records them. */
    Map<String, Object> settings() {
        return Cli.settings(spec);
    }
}
