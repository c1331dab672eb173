package io.smcd.bench.core;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * CoreBench's settings, from {@code --name value} or {@code --name=value} arguments. Immutable.
 *
 * @param warmup          time each case runs before measuring
 * @param duration        time each case is measured
 * @param transports      transports to run, in order
 * @param scenarios       scenarios to run on each transport, in order
 * @param ringSize        DMB ring size of each direction
 * @param writeSize       bytes per write in throughput runs
 * @param messageSize     bytes per message in ping-pong runs
 * @param fullVerify      whether the throughput receiver compares every byte, not just a sample
 * @param shmBase         tmpfs directory under which the run's private domain is created
 * @param output          JSON result file
 * @param peerJvmOptions  JVM options of the child JVM
 * @param quietWait       longest time to wait before each case for other processes to leave the CPUs alone; zero: no wait
 */
record BenchOptions(Duration warmup, Duration duration, List<Transport> transports, List<Scenario> scenarios,
                    int ringSize, int writeSize, int messageSize, boolean fullVerify, Path shmBase, Path output,
                    List<String> peerJvmOptions, Duration quietWait) {

    static final String USAGE = String.join("\n",
            "usage: java -cp benchmarks/target/benchmarks.jar io.smcd.bench.core.CoreBench [options]",
            "  --warmup-s <s>           warm-up per case, seconds (default 2)",
            "  --duration-s <s>         measurement per case, seconds (default 10)",
            "  --transports <list>      loopback,copy,tcp (default all three)",
            "  --scenarios <list>       throughput,pingpong (default both)",
            "  --ring-kib <KiB>         DMB ring size, 16 KiB << n (default 1024)",
            "  --write-kib <KiB>        throughput write size, multiple of 4 (default 64)",
            "  --message-bytes <n>      ping-pong message size, >= 8 (default 14)",
            "  --verify <sampled|full>  throughput content check (default sampled: every 4 KiB stamp",
            "                           plus first/last byte of each read; full: every byte)",
            "  --shm <dir>              tmpfs for the run's private domain (default /dev/shm)",
            "  --output <file>          JSON results (default results/core-bench.json)",
            "  --peer-jvm-opts <opts>   space-separated options of the child JVM (default -Xmx256m)",
            "  --quiet-wait-s <s>       before each case, wait up to this long until other processes use",
            "                           under 0.1 core (default 0: start at once; for shared hosts)",
            "Each case takes warm-up + duration; the default run of 6 cases takes about 75 s.");

    /** Parses {@code args}; returns null after printing the usage if help was asked for. */
    static BenchOptions parse(String... args) {
        double warmupSeconds = 2;
        double durationSeconds = 10;
        List<Transport> transports = List.of(Transport.LOOPBACK, Transport.COPY, Transport.TCP);
        List<Scenario> scenarios = List.of(Scenario.THROUGHPUT, Scenario.PINGPONG);
        int ringKib = 1024;
        int writeKib = 64;
        int messageBytes = 14;
        boolean fullVerify = false;
        Path shm = Paths.get("/dev/shm");
        Path output = Paths.get("results", "core-bench.json");
        List<String> peerJvmOptions = List.of("-Xmx256m");
        double quietWaitSeconds = 0;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                System.out.println(USAGE);
                return null;
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
                case "--warmup-s":
                    warmupSeconds = seconds(name, value, 0);
                    break;
                case "--duration-s":
                    durationSeconds = seconds(name, value, 0.001);
                    break;
                case "--transports":
                    transports = distinct(value, Transport::ofOption);
                    break;
                case "--scenarios":
                    scenarios = distinct(value, Scenario::ofOption);
                    break;
                case "--ring-kib":
                    ringKib = Integer.parseInt(value);
                    break;
                case "--write-kib":
                    writeKib = Integer.parseInt(value);
                    break;
                case "--message-bytes":
                    messageBytes = Integer.parseInt(value);
                    break;
                case "--verify":
                    if (!value.equals("sampled") && !value.equals("full")) {
                        throw new IllegalArgumentException("verify=" + value + " is not sampled or full");
                    }
                    fullVerify = value.equals("full");
                    break;
                case "--shm":
                    shm = Paths.get(value);
                    break;
                case "--output":
                    output = Paths.get(value);
                    break;
                case "--quiet-wait-s":
                    quietWaitSeconds = seconds(name, value, 0);
                    break;
                case "--peer-jvm-opts":
                    peerJvmOptions = value.isBlank() ? List.of() : Arrays.asList(value.trim().split("\\s+"));
                    break;
                default:
                    throw new IllegalArgumentException("option=" + name + " unknown");
            }
        }
        int ringSize = ringKib * 1024;
        if (ringKib <= 0 || ringKib > (1 << 20) || Integer.bitCount(ringKib) != 1 || ringKib < 16) {
            throw new IllegalArgumentException("ring-kib=" + ringKib + " is not 16 << n");
        }
        if (writeKib <= 0 || writeKib % (StreamPattern.STAMP_STRIDE / 1024) != 0 || writeKib > 64 * 1024) {
            throw new IllegalArgumentException("write-kib=" + writeKib + " is not a multiple of 4 up to 65536");
        }
        if (messageBytes < Long.BYTES || messageBytes > ringSize) {
            throw new IllegalArgumentException("message-bytes=" + messageBytes + " not in [8, ring size]");
        }
        return new BenchOptions(Duration.ofNanos((long) (warmupSeconds * 1e9)), Duration.ofNanos((long) (durationSeconds * 1e9)),
                transports, scenarios, ringSize, writeKib * 1024, messageBytes, fullVerify, shm, output, List.copyOf(peerJvmOptions),
                Duration.ofNanos((long) (quietWaitSeconds * 1e9)));
    }

    private static double seconds(String name, String value, double min) {
        double seconds = Double.parseDouble(value);
        if (!(seconds >= min) || seconds > 3600) {
            throw new IllegalArgumentException(name.substring(2) + "=" + value + " not in [" + min + ", 3600]");
        }
        return seconds;
    }

    private static <T> List<T> distinct(String list, java.util.function.Function<String, T> parser) {
        Set<T> values = new LinkedHashSet<>();
        for (String item : list.split(",")) {
            if (!item.isBlank()) {
                values.add(parser.apply(item));
            }
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException("list=" + list + " is empty");
        }
        return List.copyOf(new ArrayList<>(values));
    }
}
