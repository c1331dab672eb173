package io.smcd.sim.testing;

import io.smcd.sim.SmcdDomain;
import io.smcd.sim.SmcdException;
import io.smcd.sim.stats.ProcessStats;
import io.smcd.sim.stats.StatsDescriptor;
import io.smcd.sim.stats.StatsFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A private shared-memory domain for one test, in a fresh directory under /dev/shm. {@link #close()}
 * closes the domain and removes whatever is left, so /dev/shm ends as it was found even when a test fails.
 */
public final class TestDomain implements AutoCloseable {
    private final Path directory;
    private final SmcdDomain domain;

    private TestDomain(Path directory, SmcdDomain domain) {
        this.directory = directory;
        this.domain = domain;
    }

    /** Opens a new domain in {@code /dev/shm/smcd-test-<uuid>}. */
    public static TestDomain create() throws SmcdException {
        Path directory = Paths.get("/dev/shm", "smcd-test-" + UUID.randomUUID());
        return new TestDomain(directory, SmcdDomain.open(directory));
    }

    public SmcdDomain domain() {
        return domain;
    }

    public Path directory() {
        return directory;
    }

    /** Files in the domain other than the domain's own GID and member files: what a test must not leave. */
    public List<String> leftoverFiles() {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(name -> !name.equals("gid") && !name.startsWith("member-"))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@link #leftoverFiles()} without this JVM's own statistics file, which lives as long as this JVM's smcd event
     * loops keep the domain open: what a test checks while an in-process server still runs.
     */
    public List<String> leftoverFilesExceptOwnStatistics() {
        String own = StatsDescriptor.FILE_PREFIX + ProcessHandle.current().pid() + "-";
        return leftoverFiles().stream().filter(name -> !name.startsWith(own)).collect(Collectors.toList());
    }

    /**
     * Waits up to {@code bound} for a statistics file in the domain that satisfies {@code condition} and returns it;
     * fails with everything read last otherwise.
     */
    public ProcessStats awaitStatistics(Predicate<ProcessStats> condition, Duration bound)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        List<ProcessStats> all;
        do {
            all = StatsFiles.readAll(directory);
            for (ProcessStats s : all) {
                if (condition.test(s)) {
                    return s;
                }
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no statistics file shows it within " + bound + ": " + all);
    }

    @Override
    public void close() {
        domain.close();
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(directory)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove test domain " + directory, e);
        }
    }
}
