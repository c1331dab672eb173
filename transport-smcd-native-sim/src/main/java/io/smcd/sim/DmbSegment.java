package io.smcd.sim;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One mapped DMB file ({@link DmbDescriptor}): either <em>registered</em> by its owner, the receiver, or
 * <em>attached</em> by the peer that writes into it. The file is named {@code dmb-<token>} and is unlinked
 * as soon as both sides have mapped it (by the attacher, always the second), so a crash leaves nothing
 * behind; until then the owner removes it on close and {@link DmbSweeper} removes it if the owner dies.
 * Both mappings outlive any one connection: link groups lend the DMB to connection after connection
 * ({@link DmbLease}), each lease with a new generation in the header.
 *
 * <p>Thread-safety: the mapping is shared; callers access it only with absolute indices through
 * {@link SharedWords} and the descriptors. {@link #close()} may be called once no thread can touch the
 * mapping any more; it is idempotent.
 */
public final class DmbSegment implements AutoCloseable {
    static final String FILE_PREFIX = "dmb-";

    private static final SecureRandom TOKENS = new SecureRandom();

    private final long token;
    private final int ringSize;
    private final ProcessIdentity owner;
    private final boolean registered;
    private final Path file;
    private final MappedByteBuffer mapping;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DmbSegment(long token, int ringSize, ProcessIdentity owner, boolean registered, Path file, MappedByteBuffer mapping) {
        this.token = token;
        this.ringSize = ringSize;
        this.owner = owner;
        this.registered = registered;
        this.file = file;
        this.mapping = mapping;
    }

    /**
     * Creates and maps a new DMB owned by this process, under a fresh random token. The header is complete
     * before the file appears under its final name (a hard link from a temporary name, which fails rather
     * than replace an existing file), so no attacher or sweeper ever sees a partial header.
     *
     * @throws SmcdException reason {@link SmcdReason#MEM} when the tmpfs is full or the file cannot be created
     */
    public static DmbSegment register(SmcdDomain domain, int ringSize) throws SmcdException {
        int length = DmbDescriptor.fileLength(ringSize);
        Path temp = domain.newTempFile("dmb");
        MappedByteBuffer mapping = SharedFiles.createAndMap(temp, length);
        try {
            ProcessIdentity self = ProcessIdentity.current();
            while (true) {
                long token = TOKENS.nextLong();
                if (token == 0) {
                    continue;
                }
                DmbDescriptor.writeHeader(mapping, token, ringSize, self);
                Path file = fileOf(domain, token);
                try {
                    Files.createLink(file, temp);
                    return new DmbSegment(token, ringSize, self, true, file, mapping);
                } catch (FileAlreadyExistsException collision) {
                    // A 64-bit token collided with a live DMB: draw again, as loopback-ism does on a hash hit.
                }
            }
        } catch (IOException e) {
            SharedFiles.unmap(mapping);
            throw new SmcdException(SmcdReason.MEM, "cannot publish DMB in " + domain.directory() + ": " + e, e);
        } catch (RuntimeException e) {
            SharedFiles.unmap(mapping);
            throw e;
        } finally {
            SharedFiles.deleteQuietly(temp);
        }
    }

    /**
     * Maps the peer's DMB named by {@code token}, validates its header (magic, layout version, token, ring
     * size, live owner) before touching anything else, and unlinks the file: both sides have it now.
     *
     * @throws SmcdException reason {@link SmcdReason#MEM} if it cannot be found or mapped (e.g. another
     *                       tmpfs), {@link SmcdReason#SYNCERR} if its header is wrong or its owner is dead
     */
    public static DmbSegment attach(SmcdDomain domain, long token, int ringSize) throws SmcdException {
        Path file = fileOf(domain, token);
        MappedByteBuffer mapping = SharedFiles.mapExisting(file, DmbDescriptor.fileLength(ringSize));
        try {
            ProcessIdentity owner = DmbDescriptor.checkHeader(mapping, token, ringSize);
            if (!owner.isAlive()) {
                throw new SmcdException(SmcdReason.SYNCERR, "DMB " + Long.toHexString(token) + " belongs to dead process " + owner);
            }
            SharedFiles.deleteQuietly(file);
            return new DmbSegment(token, ringSize, owner, false, file, mapping);
        } catch (SmcdException | RuntimeException e) {
            SharedFiles.unmap(mapping);
            throw e;
        }
    }

    /** The file a DMB with {@code token} has in {@code domain} until both sides map it. */
    public static Path fileOf(SmcdDomain domain, long token) {
        return domain.directory().resolve(FILE_PREFIX + String.format("%016x", token));
    }

    public long token() {
        return token;
    }

    public int ringSize() {
        return ringSize;
    }

    /** The process that registered this DMB: its receiver. */
    public ProcessIdentity owner() {
        return owner;
    }

    /** True for a DMB this process registered (its own RMB), false for an attached peer DMB. */
    public boolean isRegistered() {
        return registered;
    }

    /** The mapping, for absolute access only; never change its position or limit. */
    public ByteBuffer buffer() {
        return mapping;
    }

    /** The lease generation in the header ({@link DmbDescriptor#RETIRED} once the owner stopped lending it). */
    public long getGenerationAcquire() {
        return DmbDescriptor.getGenerationAcquire(mapping);
    }

    /** Owner only, between leases: publishes the generation of the next lease, or {@link DmbDescriptor#RETIRED}. */
    public void setGenerationRelease(long generation) {
        if (!registered) {
            throw new IllegalStateException("only the owner writes the generation of " + this);
        }
        DmbDescriptor.setGenerationRelease(mapping, generation);
    }

    /** Removes the file if it is still there (the peer never attached); the mapping stays valid. */
    public void unlink() {
        SharedFiles.deleteQuietly(file);
    }

    /**
     * Unlinks a registered DMB's file if still present and releases the mapping; the caller guarantees that no thread
     * touches the mapping any more. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (registered) {
            unlink();
        }
        SharedFiles.unmap(mapping);
    }

    @Override
    public String toString() {
        return "DMB(" + String.format("%016x", token) + ", ring=" + ringSize + ", owner=" + owner.pid()
                + (registered ? ", registered" : ", attached") + ")";
    }
}
