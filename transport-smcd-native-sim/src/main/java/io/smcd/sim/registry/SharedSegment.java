package io.smcd.sim.registry;

import io.smcd.sim.SharedFiles;
import java.nio.MappedByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A mapping that several users hold at once (the registry's cache, each intent in flight, each accepted connection
 * about to claim): it is unmapped when the last one releases it, so no thread ever touches it unmapped.
 *
 * <p>Thread-safety: thread-safe.
 */
final class SharedSegment {
    private final MappedByteBuffer mapping;
    /** Holders; 0 once unmapped, after which {@link #retain()} fails. */
    private final AtomicInteger holders = new AtomicInteger(1);

    SharedSegment(MappedByteBuffer mapping) {
        this.mapping = mapping;
    }

    MappedByteBuffer mapping() {
        return mapping;
    }

    /** Adds a holder; false if the mapping is already gone. */
    boolean retain() {
        for (;;) {
            int n = holders.get();
            if (n == 0) {
                return false;
            }
            if (holders.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Drops a holder; the last one unmaps. */
    void release() {
        int n = holders.decrementAndGet();
        if (n == 0) {
            SharedFiles.unmap(mapping);
        } else if (n < 0) {
            throw new IllegalStateException("segment released more often than retained");
        }
    }
}
