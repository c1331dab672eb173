package io.smcd.sim;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Removes DMB files whose owner process is dead: what a crash between creating a DMB and the peer
 * attaching it (which unlinks it) leaves behind. Reads headers with plain file reads, never mapping a
 * file it may delete. Stateless and thread-safe.
 */
public final class DmbSweeper {
    private DmbSweeper() {
    }

    /** Sweeps {@code domain} once and returns how many DMB files it removed. */
    public static int sweep(SmcdDomain domain) throws SmcdException {
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(domain.directory(), DmbSegment.FILE_PREFIX + "*")) {
            for (Path file : files) {
                if (!ownerIsAlive(file) && SharedFiles.deleteQuietly(file)) {
                    removed++;
                }
            }
        } catch (IOException e) {
            throw new SmcdException(SmcdReason.CNFERR, "cannot list domain " + domain.directory() + ": " + e, e);
        }
        return removed;
    }

    /**
     * A DMB file only appears under its name with a complete header, so a header that does not parse is
     * garbage and counts as ownerless.
     */
    private static boolean ownerIsAlive(Path file) {
        ByteBuffer header = ByteBuffer.allocate(DmbDescriptor.HEADER_LENGTH).order(SharedWords.ORDER);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            // The buffer position equals the file offset read so far, since reading starts at 0.
            int read;
            do {
                read = channel.read(header, header.position());
            } while (read > 0 && header.hasRemaining());
        } catch (IOException e) {
            return true;
        }
        if (header.position() < DmbDescriptor.HEADER_USED_LENGTH
                || header.getLong(DmbDescriptor.MAGIC_OFFSET) != DmbDescriptor.MAGIC
                || header.getLong(DmbDescriptor.LAYOUT_VERSION_OFFSET) != DmbDescriptor.LAYOUT_VERSION) {
            return false;
        }
        return new ProcessIdentity(header.getLong(DmbDescriptor.OWNER_PID_OFFSET),
                header.getLong(DmbDescriptor.OWNER_START_OFFSET)).isAlive();
    }
}
