package io.smcd.sim.registry;

import io.smcd.sim.SmcdDomain;
import io.smcd.sim.SmcdException;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A listener record published by {@link EndpointRegistry#registerListener}; closing it removes the record,
 * but only while it is still this registration's (a later registration at the same address keeps its
 * own). Close it when the server socket closes. Thread-safe; {@link #close()} is idempotent.
 */
public final class ListenerRegistration implements AutoCloseable {
    private final SmcdDomain domain;
    private final Path file;
    private final ListenerRecord record;
    private final AtomicBoolean closed = new AtomicBoolean();

    ListenerRegistration(SmcdDomain domain, Path file, ListenerRecord record) {
        this.domain = domain;
        this.file = file;
        this.record = record;
    }

    /** The published record. */
    public ListenerRecord record() {
        return record;
    }

    /** Removes the record if it is still this registration's; a failure to remove it leaves it for a sweep after this process ends. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            RecordFiles.removeIf(domain, file, ListenerRecordDescriptor.RECORD_LENGTH, this::isMine);
        }
    }

    private boolean isMine(ByteBuffer bytes) {
        try {
            return ListenerRecordDescriptor.decode(bytes).equals(record);
        } catch (SmcdException corrupt) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "ListenerRegistration(" + record.address() + ", closed=" + closed.get() + ")";
    }
}
