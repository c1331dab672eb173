package io.smcd.bench.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory figures from /proc, in KiB: a process's resident set ({@code VmRSS} of {@code /proc/<pid>/status}, its
 * mapped shared-memory pages included) and the host's shared memory ({@code Shmem} of {@code /proc/meminfo}, which
 * counts tmpfs pages such as the DMBs' even after their files are unlinked). Linux only; elsewhere NaN. Stateless.
 */
public final class ProcMemory {
    private ProcMemory() {
    }

    /** {@code VmRSS} of {@code pid} in KiB, NaN if unknown. */
    public static double rssKib(long pid) {
        return field(Path.of("/proc", Long.toString(pid), "status"), "VmRSS:");
    }

    /** {@code Shmem} of the host in KiB, NaN if unknown. */
    public static double shmemKib() {
        return field(Path.of("/proc/meminfo"), "Shmem:");
    }

    /** The value of the {@code name} line of a /proc file in the {@code Name:   1234 kB} layout, NaN if absent. */
    static double field(Path file, String name) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or the process is gone: the figure is unknown.
        }
        return Double.NaN;
    }
}
