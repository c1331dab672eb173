package io.smcd.sim;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Creating, mapping and unmapping the files of a shared-memory domain. Stateless and thread-safe; the
 * caller guarantees that no thread touches a buffer passed to {@link #unmap}.
 */
public final class SharedFiles {
    /** Owner read/write only: a DMB is shared between processes of the same user, never wider. */
    public static final FileAttribute<Set<PosixFilePermission>> MODE_0600 =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private static final int ZERO_CHUNK = 64 * 1024;
    private static final ThreadLocal<ByteBuffer> ZEROS = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(ZERO_CHUNK));
    private static final sun.misc.Unsafe UNSAFE = loadUnsafe();

    private SharedFiles() {
    }

    /**
     * Creates {@code file} (it must not exist), reserves {@code length} bytes of tmpfs pages by writing zeros
     * and maps it read-write. A full tmpfs fails here with reason {@link SmcdReason#MEM}, never later as a
     * fault on first touch. On failure the file is removed.
     */
    public static MappedByteBuffer createAndMap(Path file, int length) throws SmcdException {
        try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE), MODE_0600)) {
            try {
                reserve(channel, length);
                return channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
            } catch (IOException | RuntimeException e) {
                deleteQuietly(file);
                throw e;
            }
        } catch (FileAlreadyExistsException e) {
            throw new SmcdException(SmcdReason.INTERR, "file already exists: " + file, e);
        } catch (IOException e) {
            throw new SmcdException(SmcdReason.MEM, "cannot create shared segment " + file + ": " + e.getMessage(), e);
        }
    }

    /** Maps an existing file read-write; its size must be exactly {@code length}. */
    public static MappedByteBuffer mapExisting(Path file, int length) throws SmcdException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            if (size != length) {
                throw new SmcdException(SmcdReason.SYNCERR, "segment size mismatch: file=" + file
                        + " expected=" + length + " actual=" + size);
            }
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
        } catch (NoSuchFileException e) {
            throw new SmcdException(SmcdReason.MEM, "no such segment: " + file, e);
        } catch (SmcdException e) {
            throw e;
        } catch (IOException e) {
            throw new SmcdException(SmcdReason.MEM, "cannot map segment " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Releases a mapping now instead of at garbage collection. {@code buffer} must be the one {@code map()}
     * returned. JDK 17 has no public unmap, so this uses {@code Unsafe.invokeCleaner} (as Netty does); its
     * compile warning stays until the move to the FFM API's {@code Arena}.
     */
    public static void unmap(MappedByteBuffer buffer) {
        UNSAFE.invokeCleaner(buffer);
    }

    /** Stores zeros into {@code length} bytes of {@code buffer} from absolute index {@code from}. */
    public static void zero(ByteBuffer buffer, int from, int length) {
        ByteBuffer zeros = ZEROS.get().clear();
        for (int done = 0; done < length; ) {
            int chunk = Math.min(ZERO_CHUNK, length - done);
            buffer.put(from + done, zeros, 0, chunk);
            done += chunk;
        }
    }

    /** Deletes a file, ignoring one that is already gone; returns whether this call removed it. */
    public static boolean deleteQuietly(Path file) {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            return false;
        }
    }

    private static void reserve(FileChannel channel, int length) throws IOException {
        ByteBuffer zeros = ZEROS.get();
        long position = 0;
        while (position < length) {
            zeros.clear().limit((int) Math.min(ZERO_CHUNK, length - position));
            position += channel.write(zeros, position);
        }
    }

    private static sun.misc.Unsafe loadUnsafe() {
        try {
            Field field = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            return (sun.misc.Unsafe) field.get(null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
