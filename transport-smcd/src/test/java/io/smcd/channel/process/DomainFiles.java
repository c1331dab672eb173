package io.smcd.channel.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The files of a test's domain directory: listing, finding the listener segment, awaiting and removing the directory. */
final class DomainFiles {
    private static final long REMOVAL_BOUND_NANOS = TimeUnit.SECONDS.toNanos(10);

    private DomainFiles() {
    }

    /** Polls until {@code domain} is gone, failing with what is left after 10 s. */
    static void awaitRemoved(Path domain) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + REMOVAL_BOUND_NANOS;
        while (Files.exists(domain)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("domain directory left after its last live member shut down: " + list(domain));
            }
            Thread.sleep(20);
        }
    }

    /** The names of the files in {@code domain}, sorted. */
    static List<String> list(Path domain) throws IOException {
        try (Stream<Path> files = Files.list(domain)) {
            return files.map(f -> f.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    /** The listener segment file in {@code domain}: the test's server has registered one. */
    static Path listenerSegment(Path domain) throws IOException {
        try (Stream<Path> files = Files.list(domain)) {
            return files.filter(f -> f.getFileName().toString().startsWith("listener-")).findFirst()
                    .orElseThrow(() -> new AssertionError("no listener segment in " + domain));
        }
    }

    /** Removes {@code domain} and everything in it, if it is still there (a failed test). */
    static void removeQuietly(Path domain) throws IOException {
        if (!Files.exists(domain)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(domain)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(path);
            }
        }
    }
}
