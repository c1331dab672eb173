package io.smcd.bench.suite;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CPU time of another process, thread by thread, for the idle scenario. Linux only. Per-thread run times from
 * {@code /proc/<pid>/task/<tid>/schedstat} have nanosecond resolution (a 2 s window at 1 % of a core is 20 ms, two
 * clock ticks of {@code /proc/<pid>/stat}); a thread that ends inside the window drops out of the sum, which an idle
 * JVM's threads do not. Stateless; thread-safe.
 */
final class ProcessCpu {
    /**
     * One thread's CPU time so far.
     *
     * @param name  its name as the kernel knows it (first 15 characters of the Java name)
     * @param nanos CPU time in ns
     */
    record ThreadTime(String name, long nanos) {
    }

    private ProcessCpu() {
    }

    /** CPU time so far of each thread of {@code pid}, by thread id; empty if /proc cannot tell. */
    static Map<String, ThreadTime> threads(long pid) {
        Map<String, ThreadTime> threads = new HashMap<>();
        Path tasks = Paths.get("/proc", Long.toString(pid), "task");
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tasks)) {
            for (Path thread : entries) {
                try {
                    String schedstat = Files.readString(thread.resolve("schedstat")).trim();
                    String name = Files.readString(thread.resolve("comm")).trim();
                    threads.put(thread.getFileName().toString(), new ThreadTime(name, Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')))));
                } catch (NoSuchFileException ended) {
                    // The thread ended between listing and reading: its time is gone either way.
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return threads;
    }

    /** CPU time in ns used between two {@link #threads} snapshots, by threads alive in both or born in between. */
    static long used(Map<String, ThreadTime> before, Map<String, ThreadTime> after) {
        long sum = 0;
        for (Map.Entry<String, ThreadTime> thread : after.entrySet()) {
            ThreadTime earlier = before.get(thread.getKey());
            sum += Math.max(0, thread.getValue().nanos() - (earlier == null ? 0 : earlier.nanos()));
        }
        return sum;
    }

    /** The thread that used the most CPU between two snapshots, as {@code name (n.nn %)} of {@code windowNanos}; "" if none. */
    static String busiest(Map<String, ThreadTime> before, Map<String, ThreadTime> after, long windowNanos) {
        String busiest = "";
        long most = 0;
        for (Map.Entry<String, ThreadTime> thread : after.entrySet()) {
            ThreadTime earlier = before.get(thread.getKey());
            long used = thread.getValue().nanos() - (earlier == null ? 0 : earlier.nanos());
            if (used > most) {
                most = used;
                busiest = thread.getValue().name();
            }
        }
        return most == 0 ? "" : String.format(Locale.ROOT, "%s %.2f %%", busiest, most * 100.0 / windowNanos);
    }
}
