package io.smcd.bench.suite;

import io.smcd.bench.common.Cli;
import io.smcd.bench.common.RunOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The suite's command line (picocli): the quick defaults, or the full ones with {@code --full}, each overridable;
 * {@code --full --help} shows the full ones. Plain settings are read from the fields, converted ones from the methods.
 * Filled once by {@link #parse}; read-only after.
 */
@Command(name = "java -jar benchmarks/target/benchmarks.jar", showDefaultValues = true, sortOptions = false,
        description = "Runs the scenarios on each transport (quick: all but gRPC and Reactor, on smcd and the baselines; --full: "
                + "every scenario on all eight transports), client and server in two fresh JVMs per transport, prints absolute "
                + "figures and ratios to Netty NIO TCP, and writes results/suite.{json,csv,svg}.")
public final class SuiteOptions {
    /**
     * The heap is 1 GiB, not less: at 512 MiB or below Netty's adaptive allocator switches to its low-memory mode
     * (2 MiB chunks), in which most 64 KiB and 128 KiB buffers of the streaming scenarios come from a fresh chunk that
     * the JVM zero-fills: a profile showed that zeroing as two thirds of the receiving loop's time, for every transport.
     */
    static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xms256m", "-Xmx1g", "-XX:+UseParallelGC",
            "-Dio.netty.leakDetection.level=disabled");
    /**
     * The quick version's transports: smcd's two devices against the seed's baselines (TCP through NIO and through
     * epoll busy-wait, which the ping-pong target names; epoll Unix sockets). Plain epoll TCP (within 0.9-1.1x of NIO
     * in every scenario so far), NIO Unix sockets and io_uring would make it longer than its three and a half
     * minutes, so only the full version and {@code --transports all} run them.
     */
    static final String QUICK_TRANSPORTS = "smcd,nio-tcp,epoll-busy-tcp,epoll-uds";
    /**
     * Defaults of the quick version (about 3.5 minutes); {@link #FULL} overrides some. The warm-up (and so the rehearsal)
     * is 1.5 s: with 0.4 s or 1 s the HTTP and connection-rate windows still ran code the JIT was compiling, and smcd's
     * data path is Java where NIO's is the kernel's (same build, alternating: HTTP 1+1 loops 1.2-1.6x NIO at 0.4 s,
     * 2.0-2.3x at 1 s, 3.9-4.7x at 1.5 s, as with 2 s + 3 s; connection rate 0.36-0.43x, 0.50-0.62x, 0.56-0.66x).
     */
    private static final Map<String, String> QUICK = Map.ofEntries(
            Map.entry("--rounds", "1"), Map.entry("--warmup-s", "1.5"), Map.entry("--duration-s", "1"),
            Map.entry("--jvm-warmup-s", "2"), Map.entry("--idle-s", "2"), Map.entry("--idle-connections", "100"),
            Map.entry("--wake-gap-ms", "2"), Map.entry("--transports", QUICK_TRANSPORTS), Map.entry("--scenarios", "quick"),
            Map.entry("--dmb-kib", "1024"), Map.entry("--verify", "sampled"), Map.entry("--conn-parallel", "1"),
            Map.entry("--http-connections", "32"),
            // One client and one server loop per core pair: more would oversubscribe a small host and punish every
            // transport that spins (smcd, epoll busy-wait) for the host's size rather than for its own cost.
            Map.entry("--http-threads", Integer.toString(Math.max(1, Runtime.getRuntime().availableProcessors() / 2))),
            Map.entry("--output-dir", "results"), Map.entry("--shm", "/dev/shm"), Map.entry("--quiet-wait-s", "10"));
    private static final Map<String, String> FULL = Map.of("--rounds", "3", "--warmup-s", "2", "--duration-s", "5",
            "--jvm-warmup-s", "3", "--idle-s", "10", "--transports", "all", "--scenarios", "all");

    @Spec
    CommandSpec spec;
    @Option(names = "--full", description = "the full version: every transport and scenario, 3 rounds (median), 2 s warm-up + 5 s per scenario, 10 s idle "
            + "window (default: quick, 1 round of 1.5 s + 1 s, 2 s idle; ~3.5 min); with --help: the full defaults")
    boolean full;
    @Option(names = "--quick", description = "the quick version (the default; --full wins)")
    boolean quick;
    @Option(names = "--transports", paramLabel = "<list>", completionCandidates = TransportNames.class, description = "comma-separated, "
            + "or all, or smcd: ${COMPLETION-CANDIDATES} (nio-tcp, the baseline, is always added)")
    String transports;
    @Option(names = "--scenarios", paramLabel = "<list>", completionCandidates = ScenarioNames.class, description = "comma-separated, "
            + "or all, or quick (all but the libraries), or libraries (grpc-unary, grpc-stream, reactor-http): ${COMPLETION-CANDIDATES}")
    String scenarios;
    @Option(names = "--rounds", paramLabel = "<n>", description = "rounds over all transports; figures are medians")
    int rounds;
    @Mixin
    RunOptions run;
    @Option(names = "--jvm-warmup-s", paramLabel = "<s>", description = "unrecorded traffic per JVM pair before its first scenario")
    double jvmWarmupSeconds;
    @Option(names = "--idle-s", paramLabel = "<s>", description = "idle CPU window (the issue's figure is over 10 s)")
    double idleSeconds;
    @Option(names = "--idle-connections", paramLabel = "<n>", description = "connections in the idle scenario")
    int idleConnections;
    @Option(names = "--wake-gap-ms", paramLabel = "<ms>", description = "pause before each wake-from-idle ping (> the 50 us spin)")
    double wakeGapMillis;
    @Option(names = "--dmb-kib", paramLabel = "<KiB>", description = "smcd RMB size, 16 << n (1024: the seed's 1 MB buffers)")
    int dmbKib;
    @Option(names = "--spin-us", paramLabel = "<us>", description = "smcd spin budget (default: the transport's, 50)")
    Double spinMicros;
    @Option(names = "--conn-parallel", paramLabel = "<n>", description = "connections in flight in connrate")
    int connParallel;
    @Option(names = "--http-connections", paramLabel = "<n>", description = "HTTP keep-alive connections")
    int httpConnections;
    @Option(names = "--http-threads", paramLabel = "<n>", description = "HTTP client threads and server threads, each, in http "
            + "(default cores / 2); http-default-threads uses the transports' default, 2 x cores, on both sides")
    int httpThreads;
    @Option(names = "--output-dir", paramLabel = "<dir>", description = "results folder")
    Path outputDir;
    @Option(names = "--jvm-opts", paramLabel = "'<opts>'", description = "extra options for the client and server JVMs")
    String extraJvmOptions;

    private List<SuiteTransport> transportList;
    private List<SuiteScenario> scenarioList;

    /** Parses {@code args}; returns null after printing the usage if help was asked for. */
    public static SuiteOptions parse(String... args) {
        Map<String, String> defaults = new HashMap<>(QUICK);
        if (Arrays.asList(args).contains("--full")) {
            defaults.putAll(FULL);
        }
        SuiteOptions options = Cli.parse(new SuiteOptions(), defaults, args);
        if (options != null) {
            options.check();
        }
        return options;
    }

    private void check() {
        run.check(0.05);
        Cli.check("rounds", rounds, 1, 100);
        Cli.check("jvm-warmup-s", jvmWarmupSeconds, 0, 3600);
        Cli.check("idle-s", idleSeconds, 0.1, 3600);
        Cli.check("idle-connections", idleConnections, 1, 10_000);
        Cli.check("wake-gap-ms", wakeGapMillis, 0.1, 10_000);
        Cli.checkDmbKib("dmb-kib", dmbKib);
        if (spinMicros != null) {
            Cli.check("spin-us", spinMicros, 0, 1e6);
        }
        Cli.check("conn-parallel", connParallel, 1, 1000);
        Cli.check("http-connections", httpConnections, 1, 10_000);
        Cli.check("http-threads", httpThreads, 1, 64);
        scenarioList = SuiteScenario.parseList(scenarios);
        List<SuiteTransport> chosen = new ArrayList<>(SuiteTransport.parseList(transports));
        chosen.add(SuiteTransport.BASELINE);
        transportList = chosen.stream().distinct().sorted().toList();
    }

    /** Unrecorded mixed traffic once per JVM pair, before the first scenario, so the JIT has compiled the data path. */
    public Duration jvmWarmup() {
        return Cli.seconds(jvmWarmupSeconds);
    }

    /** The CPU sampling window of the idle scenario. */
    public Duration idle() {
        return Cli.seconds(idleSeconds);
    }

    /** The pause before each ping of the wake-from-idle scenario. */
    public Duration wakeGap() {
        return Duration.ofNanos((long) (wakeGapMillis * 1e6));
    }

    /** Transports to run in report order, the baseline always among them. */
    public List<SuiteTransport> transports() {
        return transportList;
    }

    public List<SuiteScenario> scenarios() {
        return scenarioList;
    }

    /** The SMC-D receive buffer (RMB) size of each smcd connection. */
    public int dmbBytes() {
        return dmbKib * 1024;
    }

    /** The smcd spin budget; negative: the transport's default. */
    public long spinNanos() {
        return spinMicros == null ? -1 : (long) (spinMicros * 1e3);
    }

    /** Options of the client and server JVMs: the suite's defaults, then {@code --jvm-opts}. */
    public List<String> jvmOptions() {
        List<String> jvm = new ArrayList<>(DEFAULT_JVM_OPTIONS);
        if (extraJvmOptions != null && !extraJvmOptions.isBlank()) {
            jvm.addAll(Arrays.asList(extraJvmOptions.trim().split("\\s+")));
        }
        return List.copyOf(jvm);
    }

    /** The settings as the JSON report records them: every option as parsed, the lists as run. */
    Map<String, Object> settings() {
        Map<String, Object> settings = Cli.settings(spec);
        settings.put("transports", transports());
        settings.put("scenarios", scenarios());
        settings.put("jvm-opts", String.join(" ", jvmOptions()));
        return settings;
    }

    /** A rough upper estimate of the run's length, printed before it starts. */
    Duration estimate() {
        // The rehearsal (one warm-up long), the scenario, and set-up and waiting for the JIT to settle (about 1.6 s
        // per scenario in quick runs on two cores).
        long perScenario = run.warmup().multipliedBy(2).plus(run.duration()).toMillis() + 1600;
        long perTransport = 2500 + jvmWarmup().toMillis();
        for (SuiteScenario scenario : scenarios()) {
            perTransport += scenario == SuiteScenario.IDLE_CPU ? idle().toMillis() + 1500 : perScenario;
        }
        return Duration.ofMillis(perTransport * transports().size() * rounds);
    }

    /** The transport names for the help text. */
    static final class TransportNames extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        TransportNames() {
            super(Arrays.stream(SuiteTransport.values()).map(SuiteTransport::option).toList());
        }
    }

    /** The scenario names for the help text. */
    static final class ScenarioNames extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        ScenarioNames() {
            super(Arrays.stream(SuiteScenario.values()).map(SuiteScenario::option).toList());
        }
    }
}
