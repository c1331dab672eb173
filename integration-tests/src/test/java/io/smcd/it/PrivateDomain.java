package io.smcd.it;

import io.smcd.channel.SmcdIoHandlerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A private SMC-D domain for one test: a fresh name under /dev/shm that the test's smcd groups create on first use and
 * remove when the last of them has shut down. {@link #assertRemoved()} checks that they did; {@link #close()} removes
 * whatever a failed test left, so /dev/shm ends as it was found either way.
 *
 * <p>Immutable; safe to share between threads.
 */
public final class PrivateDomain implements AutoCloseable {
    /** How long {@link #assertRemoved()} waits for the directory to go. */
    public static final Duration REMOVAL_BOUND = Duration.ofSeconds(10);

    private final Path directory;

    private PrivateDomain(Path directory) {
        this.directory = directory;
    }

    /** A new, not yet existing {@code /dev/shm/smcd-test-<uuid>}. */
    public static PrivateDomain create() {
        return new PrivateDomain(Paths.get("/dev/shm", "smcd-test-" + UUID.randomUUID()));
    }

    public Path directory() {
        return directory;
    }

    /** A fresh handler config on this domain. */
    public SmcdIoHandlerConfig config() {
        return new SmcdIoHandlerConfig().setDomainDirectory(directory);
    }

    /**
     * Waits up to {@link #REMOVAL_BOUND} for the domain directory to go, watching /dev/shm for its deletion, and fails
     * naming what is left if it stays. The last release of the domain removes it; that may come a moment after the
     * groups report termination (once seen in a full run), never much later.
     */
    public void assertRemoved() {
        try (WatchService watcher = directory.getFileSystem().newWatchService()) {
            directory.getParent().register(watcher, StandardWatchEventKinds.ENTRY_DELETE);
            long deadline = System.nanoTime() + REMOVAL_BOUND.toNanos();
            while (Files.exists(directory)) {
                long left = deadline - System.nanoTime();
                WatchKey key = left > 0 ? watcher.poll(left, TimeUnit.NANOSECONDS) : null;
                if (key == null) {
                    throw new AssertionError("domain directory left: " + directory + " with " + listing());
                }
                key.pollEvents();
                key.reset();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch " + directory.getParent(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + directory + " to go", e);
        }
    }

    private List<String> listing() {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(f -> f.getFileName().toString()).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            return List.of("(unreadable: " + e + ")");
        }
    }

    @Override
    public void close() {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(directory)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove domain directory=" + directory, e);
        }
    }
}
