package io.smcd.sim.registry;

import io.smcd.sim.ProcessIdentity;
import io.smcd.sim.SharedFiles;
import io.smcd.sim.SharedWords;
import io.smcd.sim.SmcdDomain;
import io.smcd.sim.SmcdException;
import io.smcd.sim.SmcdReason;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/** Reading, publishing and removing registry files in a domain directory. Stateless and thread-safe. */
final class RecordFiles {
    /** The prefix of {@link SmcdDomain#newTempFile} names: {@code tmp-<pid>-<startMillis>-<purpose>-<random>}. */
    static final String TEMP_PREFIX = "tmp-";

    private RecordFiles() {
    }

    /**
     * Reads a record file, at most {@code maxLength + 1} bytes so that an overlong file reads as the wrong
     * length rather than as a valid prefix. Returns the bytes from index 0 to the limit in
     * {@link SharedWords#ORDER}, or null when the file is absent or unreadable, which callers treat alike.
     */
    static ByteBuffer read(Path file, int maxLength) {
        ByteBuffer buffer = ByteBuffer.allocate(maxLength + 1).order(SharedWords.ORDER);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            int read;
            do {
                read = channel.read(buffer);
            } while (read >= 0 && buffer.hasRemaining());
        } catch (IOException e) {
            return null;
        }
        return buffer.flip();
    }

    /** Renames a complete temporary file onto {@code target}, replacing whatever record is there; on failure removes it. */
    static void moveInto(Path temp, Path target) throws SmcdException {
        try {
            // rename(2) swaps the name over in one step, so readers see the old record or the new one, never a
            // partial file; on Linux it replaces an existing target.
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            SharedFiles.deleteQuietly(temp);
            throw failure("cannot publish record file", target, e);
        }
    }

    /**
     * Removes {@code file} if {@code condition} holds for the record in it, without ever removing a record
     * that replaced it after the caller looked: the file is renamed to a private name first, which takes
     * exactly the record there at that moment. A record that fails the condition is linked back, unless a
     * newer record took the name meanwhile, which then wins. While a record is away a reader finds none and
     * uses TCP, which is always a correct outcome. Returns whether this call removed a record.
     */
    static boolean removeIf(SmcdDomain domain, Path file, int maxLength, Predicate<ByteBuffer> condition) {
        Path aside = domain.newTempFile("aside");
        try {
            Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // Gone already (another process removed it first) or the directory refuses: nothing is ours to do.
            return false;
        }
        try {
            ByteBuffer record = read(aside, maxLength);
            if (record != null && condition.test(record)) {
                return true;
            }
            try {
                // link(2) never replaces: a record published under this name meanwhile is newer and stays.
                Files.createLink(file, aside);
            } catch (IOException e) {
                // A newer record holds the name, or the link failed and readers use TCP: both are correct.
            }
            return false;
        } finally {
            SharedFiles.deleteQuietly(aside);
        }
    }

    /** The process that created a {@link SmcdDomain#newTempFile} file, or empty for a name of another form. */
    static Optional<ProcessIdentity> temporaryFileOwner(String fileName) {
        return ProcessIdentity.fromFileName(fileName, TEMP_PREFIX);
    }

    /**
     * The exception for a file operation the domain refused: {@link SmcdReason#MEM} when the tmpfs is out of
     * space or memory (the JDK reports no errno, only its {@code strerror} text), {@link SmcdReason#CNFERR}
     * for anything else (a removed, unwritable or read-only directory).
     */
    static SmcdException failure(String what, Path file, IOException e) {
        String message = String.valueOf(e.getMessage());
        boolean outOfMemory = message.contains("No space left on device") || message.contains("Disk quota exceeded")
                || message.contains("Cannot allocate memory");
        return new SmcdException(outOfMemory ? SmcdReason.MEM : SmcdReason.CNFERR, what + " " + file + ": " + e, e);
    }
}
