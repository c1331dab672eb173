package io.smcd.bench.common;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.function.DoubleConsumer;
import java.util.function.ToDoubleBiFunction;

/**
 * How much CPU the rest of the machine took while a case ran: busy time of all CPUs from
 * {@code /proc/stat} less the time of this JVM and the peer JVM from {@code /proc/<pid>/stat}, in cores.
 * On a two-core machine whose two cores both spin for the benchmark, anything above a few hundredths
 * steals time slices from a spinner and shows in the tail latencies, so a run can also wait for a quiet host first.
 * Linux only; elsewhere it reports nothing. Immutable snapshots; thread-safe.
 */
public final class CpuSampler {
    private static final Path PROC_STAT = Paths.get("/proc/stat");

    private final List<Long> pids;
    private final TickSource ticks;

    public CpuSampler(List<Long> pids) {
        this(pids, CpuSampler::processTicks);
    }

    private CpuSampler(List<Long> pids, TickSource ticks) {
        this.pids = List.copyOf(pids);
        this.ticks = ticks;
    }

    /** A snapshot, or null if /proc cannot be read. */
    public Snapshot sample() {
        try {
            String[] cpu = Files.readAllLines(PROC_STAT).get(0).trim().split("\\s+");
            long total = 0;
            // user nice system idle iowait irq softirq steal: guest time is already inside user and nice.
            for (int i = 1; i <= 8 && i < cpu.length; i++) {
                total += Long.parseLong(cpu[i]);
            }
            long idle = Long.parseLong(cpu[4]) + (cpu.length > 5 ? Long.parseLong(cpu[5]) : 0);
            long ours = 0;
            for (long pid : pids) {
                ours += ticks.of(pid);
            }
            return new Snapshot(total, total - idle, ours);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Cores used by other processes between two snapshots; NaN if either is missing. */
    public static double foreignCores(Snapshot from, Snapshot to) {
        if (from == null || to == null || to.total() <= from.total()) {
            return Double.NaN;
        }
        double cpus = Runtime.getRuntime().availableProcessors();
        long foreign = (to.busy() - from.busy()) - (to.ours() - from.ours());
        return Math.max(0, foreign) * cpus / (to.total() - from.total());
    }

    /**
     * Samples the CPU use of processes other than {@code ours} over windows of {@code sample} until it is below
     * {@code cores} or {@code limit} has passed; tells {@code waiting} the figure of the first busy window. Sampling
     * needs the pause; it waits for nothing else.
     */
    public static void awaitQuiet(List<Long> ours, double cores, Duration sample, Duration limit, DoubleConsumer waiting)
            throws InterruptedException {
        awaitBelow(new CpuSampler(ours), CpuSampler::foreignCores, cores, sample, limit, waiting);
    }

    /**
     * Samples the CPU use of the JIT compiler threads of the processes {@code pids} until it is below {@code cores} over
     * a window of {@code sample} or {@code limit} has passed: after a warm-up, a JVM whose compiler still runs takes a
     * core that a measured loop would otherwise have. Tells {@code waiting} the figure of the first busy window.
     */
    public static void awaitCompilersIdle(List<Long> pids, double cores, Duration sample, Duration limit, DoubleConsumer waiting)
            throws InterruptedException {
        awaitBelow(new CpuSampler(pids, CpuSampler::compilerTicks), CpuSampler::ownCores, cores, sample, limit, waiting);
    }

    /** Cores used by this sampler's processes (or threads) between two snapshots; NaN if either is missing. */
    static double ownCores(Snapshot from, Snapshot to) {
        if (from == null || to == null || to.total() <= from.total()) {
            return Double.NaN;
        }
        return (to.ours() - from.ours()) * (double) Runtime.getRuntime().availableProcessors() / (to.total() - from.total());
    }

    private static void awaitBelow(CpuSampler cpu, ToDoubleBiFunction<Snapshot, Snapshot> measure, double cores, Duration sample,
            Duration limit, DoubleConsumer waiting) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        boolean told = false;
        while (System.nanoTime() < deadline) {
            Snapshot before = cpu.sample();
            Thread.sleep(sample.toMillis());
            double used = measure.applyAsDouble(before, cpu.sample());
            if (!(used >= cores)) {
                return;
            }
            if (!told) {
                waiting.accept(used);
                told = true;
            }
        }
    }

    private static long processTicks(long pid) throws IOException {
        return statTicks(Files.readString(Paths.get("/proc", Long.toString(pid), "stat")));
    }

    /** User and system time of the threads HotSpot names "C1 CompilerThread<n>" and "C2 CompilerThread<n>". */
    private static long compilerTicks(long pid) throws IOException {
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Paths.get("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                        sum += statTicks(stat);
                    }
                } catch (NoSuchFileException e) {
                    // A compiler thread that HotSpot retired meanwhile: its time no longer counts.
                }
            }
        }
        return sum;
    }

    private static long statTicks(String stat) {
        // The command name may hold spaces; the fields after its closing parenthesis are fixed.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** Clock ticks of one process, or of some of its threads. */
    @FunctionalInterface
    private interface TickSource {
        long of(long pid) throws IOException;
    }

    /**
     * Clock ticks since boot.
     *
     * @param total all CPUs, all states
     * @param busy  all CPUs, not idle
     * @param ours  user and system time of the benchmark's processes
     */
    public record Snapshot(long total, long busy, long ours) {
    }
}
