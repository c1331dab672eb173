package io.smcd.bench.suite;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The suite's settings from {@code --name value} or {@code --name=value} arguments: the quick defaults, or the full
 * ones with {@code --full}, each overridable. Immutable.
 *
 * @param full             whether the full defaults were chosen
 * @param rounds           rounds over all transports; each figure is the median of its rounds
 * @param warmup           warm-up of each measured scenario
 * @param duration         measured window of each scenario
 * @param jvmWarmup        unrecorded mixed traffic once per JVM pair, before the first scenario, so the JIT has
 *                         compiled the data path before anything is measured
 * @param idle             CPU sampling window of the idle scenario
 * @param idleConnections  connections held open in the idle scenario
 * @param wakeGap          pause before each ping of the wake-from-idle scenario
 * @param transports       transports to run, report order; the baseline is always added
 * @param scenarios        scenarios to run, report order
 * @param dmbBytes         SMC-D receive buffer (RMB) size of each smcd connection
 * @param spinNanos        smcd spin budget; negative: the transport's default
 * @param fullVerify       receivers compare every streamed byte instead of every 4 KiB stamp
 * @param connParallel     connections in flight at once in the connection-rate scenario
 * @param httpConnections  keep-alive connections of the HTTP load generator
 * @param httpThreads      event loop threads of the HTTP load generator and of the HTTP server
 * @param outputDir        folder of the JSON, CSV and SVG results
 * @param shmBase          tmpfs under which each run creates its private smcd domain
 * @param jvmOptions       options of the client and server JVMs
 * @param quietWait        longest wait before each transport for other processes to leave the CPUs alone
 */
public record SuiteOptions(boolean full, int rounds, Duration warmup, Duration duration, Duration jvmWarmup, Duration idle,
                           int idleConnections, Duration wakeGap, List<SuiteTransport> transports,
                           List<SuiteScenario> scenarios, int dmbBytes, long spinNanos, boolean fullVerify,
                           int connParallel, int httpConnections, int httpThreads, Path outputDir, Path shmBase,
                           List<String> jvmOptions, Duration quietWait) {

    static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xms256m", "-Xmx512m", "-XX:+UseParallelGC",
            "-Dio.netty.leakDetection.level=disabled");

    static final String USAGE = String.join("\n",
            "usage: java -jar benchmarks/target/benchmarks.jar [options]",
            "Runs every scenario on every transport, client and server in two fresh JVMs per transport,",
            "prints absolute figures and ratios to Netty NIO TCP, and writes results/suite.{json,csv,svg}.",
            "  --full                   the full version: 3 rounds (median), 2 s warm-up + 5 s per scenario,",
            "                           10 s idle window (default: quick, 1 round of 0.5 s + 1 s, 2 s idle; ~3 min)",
            "  --transports <list>      comma-separated, or all (default), or smcd: " + SuiteTransport.names(),
            "                           (nio-tcp, the baseline, is always added)",
            "  --scenarios <list>       comma-separated or all (default): " + SuiteScenario.names(),
            "  --rounds <n>             rounds over all transports; figures are medians",
            "  --warmup-s <s>           warm-up per scenario",
            "  --duration-s <s>         measured window per scenario",
            "  --jvm-warmup-s <s>       unrecorded traffic per JVM pair before its first scenario",
            "  --idle-s <s>             idle CPU window (the issue's figure is over 10 s; --full uses 10)",
            "  --idle-connections <n>   connections in the idle scenario (default 100)",
            "  --wake-gap-ms <ms>       pause before each wake-from-idle ping (default 2, > the 50 us spin)",
            "  --dmb-kib <KiB>          smcd RMB size, 16 << n (default 1024, as the seed's 1 MB buffers)",
            "  --spin-us <us>           smcd spin budget (default: the transport's, 50)",
            "  --verify <sampled|full>  stream content check (default sampled: every 4 KiB stamp and the",
            "                           ends of each read; full: every byte)",
            "  --conn-parallel <n>      connections in flight in connrate (default 1)",
            "  --http-connections <n>   HTTP keep-alive connections (default 32)",
            "  --http-threads <n>       HTTP client threads and server threads, each (default: cores / 2)",
            "  --output-dir <dir>       results folder (default results)",
            "  --shm <dir>              tmpfs for the private smcd domain (default /dev/shm)",
            "  --jvm-opts '<opts>'      extra options for the client and server JVMs",
            "  --quiet-wait-s <s>       before each transport, wait up to this long until other processes use",
            "                           under 0.25 core (default 10; 0: start at once)",
            "  --help");

    /** Parses {@code args}; returns null after printing the usage if help was asked for. */
    public static SuiteOptions parse(String... args) {
        boolean full = Arrays.asList(args).contains("--full");
        int rounds = full ? 3 : 1;
        double warmupSeconds = full ? 2 : 0.5;
        double durationSeconds = full ? 5 : 1;
        double jvmWarmupSeconds = full ? 3 : 2;
        double idleSeconds = full ? 10 : 2;
        int idleConnections = 100;
        double wakeGapMillis = 2;
        List<SuiteTransport> transports = List.of(SuiteTransport.values());
        List<SuiteScenario> scenarios = List.of(SuiteScenario.values());
        int dmbKib = 1024;
        double spinMicros = -1;
        boolean fullVerify = false;
        int connParallel = 1;
        int httpConnections = 32;
        // One client and one server loop per core pair: more would oversubscribe a small host and punish every
        // transport that spins (smcd, epoll busy-wait) for the host's size rather than for its own cost.
        int httpThreads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        Path outputDir = Paths.get("results");
        Path shm = Paths.get("/dev/shm");
        List<String> jvmOptions = new ArrayList<>(DEFAULT_JVM_OPTIONS);
        double quietWaitSeconds = 10;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                System.out.println(USAGE);
                return null;
            }
            if (arg.equals("--full") || arg.equals("--quick")) {
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("argument=" + arg + " is not an option");
            }
            String name;
            String value;
            int equals = arg.indexOf('=');
            if (equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option=" + arg + " needs a value");
                }
                name = arg;
                value = args[++i];
            }
            switch (name) {
                case "--transports" -> transports = SuiteTransport.parseList(value);
                case "--scenarios" -> scenarios = SuiteScenario.parseList(value);
                case "--rounds" -> rounds = positive(name, value, 1, 100);
                case "--warmup-s" -> warmupSeconds = number(name, value, 0, 3600);
                case "--duration-s" -> durationSeconds = number(name, value, 0.05, 3600);
                case "--jvm-warmup-s" -> jvmWarmupSeconds = number(name, value, 0, 3600);
                case "--idle-s" -> idleSeconds = number(name, value, 0.1, 3600);
                case "--idle-connections" -> idleConnections = positive(name, value, 1, 10_000);
                case "--wake-gap-ms" -> wakeGapMillis = number(name, value, 0.1, 10_000);
                case "--dmb-kib" -> dmbKib = positive(name, value, 16, 1 << 20);
                case "--spin-us" -> spinMicros = number(name, value, 0, 1e6);
                case "--verify" -> {
                    if (!value.equals("sampled") && !value.equals("full")) {
                        throw new IllegalArgumentException("verify=" + value + " is not sampled or full");
                    }
                    fullVerify = value.equals("full");
                }
                case "--conn-parallel" -> connParallel = positive(name, value, 1, 1000);
                case "--http-connections" -> httpConnections = positive(name, value, 1, 10_000);
                case "--http-threads" -> httpThreads = positive(name, value, 1, 64);
                case "--output-dir" -> outputDir = Paths.get(value);
                case "--shm" -> shm = Paths.get(value);
                case "--quiet-wait-s" -> quietWaitSeconds = number(name, value, 0, 3600);
                case "--jvm-opts" -> {
                    if (!value.isBlank()) {
                        jvmOptions.addAll(Arrays.asList(value.trim().split("\\s+")));
                    }
                }
                default -> throw new IllegalArgumentException("option=" + name + " unknown");
            }
        }
        if (Integer.bitCount(dmbKib) != 1) {
            throw new IllegalArgumentException("dmb-kib=" + dmbKib + " is not 16 << n");
        }
        if (!transports.contains(SuiteTransport.BASELINE)) {
            List<SuiteTransport> withBaseline = new ArrayList<>(transports);
            withBaseline.add(SuiteTransport.BASELINE);
            transports = SuiteTransport.parseList(String.join(",", withBaseline.stream().map(SuiteTransport::option).toList()));
        }
        return new SuiteOptions(full, rounds, seconds(warmupSeconds), seconds(durationSeconds), seconds(jvmWarmupSeconds),
                seconds(idleSeconds), idleConnections, Duration.ofNanos((long) (wakeGapMillis * 1e6)), transports, scenarios,
                dmbKib * 1024, spinMicros < 0 ? -1 : (long) (spinMicros * 1e3), fullVerify, connParallel, httpConnections,
                httpThreads, outputDir, shm, List.copyOf(jvmOptions), seconds(quietWaitSeconds));
    }

    /** A rough upper estimate of the run's length, printed before it starts. */
    Duration estimate() {
        long perScenario = warmup.plus(duration).toMillis() + 300;
        long perTransport = 2500 + jvmWarmup.toMillis();
        for (SuiteScenario scenario : scenarios) {
            perTransport += scenario == SuiteScenario.IDLE_CPU ? idle.toMillis() + 1500 : perScenario;
        }
        return Duration.ofMillis(perTransport * transports.size() * rounds);
    }

    private static Duration seconds(double seconds) {
        return Duration.ofNanos((long) (seconds * 1e9));
    }

    private static double number(String name, String value, double min, double max) {
        double number;
        try {
            number = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name.substring(2) + "=" + value + " is not a number");
        }
        if (!(number >= min) || number > max) {
            throw new IllegalArgumentException(name.substring(2) + "=" + value + " not in [" + min + ", " + max + "]");
        }
        return number;
    }

    private static int positive(String name, String value, int min, int max) {
        int number;
        try {
            number = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name.substring(2) + "=" + value + " is not an integer");
        }
        if (number < min || number > max) {
            throw new IllegalArgumentException(name.substring(2) + "=" + value + " not in [" + min + ", " + max + "]");
        }
        return number;
    }
}
