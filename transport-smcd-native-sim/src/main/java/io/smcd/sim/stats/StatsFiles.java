package io.smcd.sim.stats;

import io.smcd.sim.ProcessIdentity;
import io.smcd.sim.SharedFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The statistics files of a domain directory: reading them all, removing those of dead processes. Stateless. */
public final class StatsFiles {
    private StatsFiles() {
    }

    /** Every readable statistics file in {@code directory}, by owner pid. */
    public static List<ProcessStats> readAll(Path directory) throws IOException {
        List<ProcessStats> all = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, StatsDescriptor.FILE_PREFIX + "*")) {
            for (Path file : files) {
                StatsReader.read(file).ifPresent(all::add);
            }
        }
        all.sort(Comparator.comparingLong((ProcessStats s) -> s.owner().pid()).thenComparing(s -> s.file().toString()));
        return all;
    }

    /**
     * Removes the statistics files whose owner (named in the file name) is not running any more, and files whose name
     * names no process; returns how many it removed. A live process's file is never touched.
     */
    public static int sweep(Path directory) throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, StatsDescriptor.FILE_PREFIX + "*")) {
            for (Path file : files) {
                Optional<ProcessIdentity> owner = ProcessIdentity.fromFileName(file.getFileName().toString(),
                        StatsDescriptor.FILE_PREFIX);
                if ((owner.isEmpty() || !owner.get().isAlive()) && SharedFiles.deleteQuietly(file)) {
                    removed++;
                }
            }
        }
        return removed;
    }
}
