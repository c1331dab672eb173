package io.smcd.bench.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The private folders of one benchmark run, named {@code <prefix><pid>-<random>} after the JVM that owns them (an smcd
 * domain under /dev/shm, a folder of Unix sockets): removed with everything in them, never a folder of another name,
 * and swept when their owner died without removing them. Immutable; thread-safe.
 */
public final class RunDirectory {
    private final String prefix;
    private final Pattern name;

    /** Folders named {@code <prefix><pid>-<random>}, e.g. prefix {@code smcd-suite-}. */
    public RunDirectory(String prefix) {
        this.prefix = prefix;
        this.name = Pattern.compile(Pattern.quote(prefix) + "(\\d+)-[0-9a-f]+");
    }

    /** A fresh name under {@code base} for a folder of this JVM; nothing is created. */
    public Path newPath(Path base) {
        return base.toAbsolutePath().resolve(prefix + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** Whether {@code fileName} names a folder of this kind owned by this JVM. */
    public boolean isOwn(String fileName) {
        Matcher m = name.matcher(fileName);
        return m.matches() && Long.parseLong(m.group(1)) == ProcessHandle.current().pid();
    }

    /** Removes {@code directory} and everything in it; true once it is gone. Refuses a folder of another name. */
    public boolean delete(Path directory) {
        if (!name.matcher(directory.getFileName().toString()).matches()) {
            throw new IllegalArgumentException("directory=" + directory + " is not a " + prefix + " run folder");
        }
        for (int attempt = 0; attempt < 3 && Files.exists(directory); attempt++) {
            try (Stream<Path> tree = Files.walk(directory)) {
                List<Path> deepestFirst = tree.sorted(Comparator.comparingInt(Path::getNameCount).reversed()).collect(Collectors.toList());
                for (Path path : deepestFirst) {
                    try {
                        Files.deleteIfExists(path);
                    } catch (DirectoryNotEmptyException e) {
                        // A child created a file meanwhile: the next attempt takes it.
                    }
                }
            } catch (NoSuchFileException e) {
                // Removed meanwhile, e.g. by the smcd domain's last member: nothing left to do.
            } catch (IOException | UncheckedIOException e) {
                System.err.println("cannot remove " + directory + " yet: " + e);
            }
        }
        return !Files.exists(directory);
    }

    /** Removes the folders of this kind under {@code base} whose owner JVM is gone (killed with all its children). */
    public void sweepStale(Path base) {
        if (!Files.isDirectory(base)) {
            return;
        }
        try (Stream<Path> entries = Files.list(base)) {
            for (Path entry : entries.collect(Collectors.toList())) {
                Matcher m = name.matcher(entry.getFileName().toString());
                if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).map(p -> !PeerSide.isAlive(p)).orElse(true)) {
                    System.out.println("removing " + entry + ", left by an earlier run that was killed");
                    delete(entry);
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("cannot look for stale run folders in " + base + ": " + e);
        }
    }
}
