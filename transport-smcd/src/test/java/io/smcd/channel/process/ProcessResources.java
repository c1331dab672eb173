package io.smcd.channel.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a process holds, from {@code /proc/<pid>}: open file descriptors, memory mappings (all of them, and those of
 * DMB files), resident memory.
 *
 * @param fds          open file descriptors
 * @param mappings     lines of {@code maps}
 * @param dmbMappings  mappings of DMB files
 * @param rssKiB       resident set size
 */
record ProcessResources(long fds, long mappings, long dmbMappings, long rssKiB) {
    /** Samples process {@code pid} now. */
    static ProcessResources of(long pid) {
        Path proc = Paths.get("/proc", String.valueOf(pid));
        try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
            List<String> maps = Files.readAllLines(proc.resolve("maps"));
            long rss = Files.readAllLines(proc.resolve("status")).stream().filter(l -> l.startsWith("VmRSS:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(-1);
            return new ProcessResources(fds.count(), maps.size(), maps.stream().filter(l -> l.contains("/dmb-")).count(),
                    rss);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + proc, e);
        }
    }
}
