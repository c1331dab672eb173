package io.smcd.sim.stats;

import static io.smcd.sim.stats.StatsDescriptor.*;

import io.smcd.sim.ProcessIdentity;
import io.smcd.sim.SharedEndpoint;
import io.smcd.sim.SharedFiles;
import io.smcd.sim.SharedWords;
import io.smcd.sim.SmcdException;
import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a statistics file ({@link StatsDescriptor}) through a read-only mapping: it never writes a byte, so the owner
 * and its connections cannot notice it. Everything read is validated, since the file may be anything; a connection slot
 * is copied out under its seqlock and decoded from the copy. Stateless and thread-safe.
 */
public final class StatsReader {
    /** Attempts at a consistent copy of a slot the owner keeps rewriting; after that the slot is skipped this time. */
    private static final int SLOT_ATTEMPTS = 64;

    private StatsReader() {
    }

    /** The statistics in {@code file}, or empty if it is gone, incomplete or not a statistics file. */
    public static Optional<ProcessStats> read(Path file) {
        MappedByteBuffer mapping;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < HEADER_LENGTH || size > fileLength(MAX_COUNTERS, MAX_SLOTS)) {
                return Optional.empty();
            }
            mapping = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
        } catch (IOException e) {
            return Optional.empty();
        }
        try {
            return decode(file, mapping);
        } catch (InternalError e) {
            // The file was truncated under the mapping (SIGBUS, which the JDK reports so): not a file to trust.
            return Optional.empty();
        } finally {
            SharedFiles.unmap(mapping);
        }
    }

    private static Optional<ProcessStats> decode(Path file, MappedByteBuffer b) {
        b.order(SharedWords.ORDER);
        // Acquire: the owner released the version after the rest of the header and the labels.
        if (SharedWords.getAcquire(b, LAYOUT_VERSION_OFFSET) != LAYOUT_VERSION || SharedWords.getPlain(b, MAGIC_OFFSET) != MAGIC) {
            return Optional.empty();
        }
        long pid = SharedWords.getPlain(b, OWNER_PID_OFFSET);
        long start = SharedWords.getPlain(b, OWNER_START_OFFSET);
        int counters = b.getInt(COUNTER_COUNT_OFFSET);
        int slots = b.getInt(SLOT_COUNT_OFFSET);
        if (pid <= 0 || start <= 0 || counters < 0 || counters > MAX_COUNTERS || slots < 0 || slots > MAX_SLOTS
                || fileLength(counters, slots) != b.capacity()) {
            return Optional.empty();
        }
        ProcessIdentity owner = new ProcessIdentity(pid, start);
        Map<String, Long> values = new LinkedHashMap<>();
        for (int i = 0; i < counters; i++) {
            int at = counterOffset(i);
            int length = Math.min(b.get(at + COUNTER_LABEL_LENGTH) & 0xFF, MAX_LABEL_LENGTH);
            byte[] label = new byte[length];
            b.get(at + COUNTER_LABEL, label);
            // Acquire: pairs with the owner's release of each value.
            values.put(new String(label, StandardCharsets.US_ASCII), SharedWords.getAcquire(b, at + COUNTER_VALUE));
        }
        // Acquire: the slots' sequences the owner wrote before releasing the count are visible below.
        long filled = Math.min(Math.max(SharedWords.getAcquire(b, SLOTS_FILLED_OFFSET), 0), slots);
        List<ConnectionRecord> connections = new ArrayList<>((int) filled);
        ByteBuffer copy = ByteBuffer.allocate(SLOT_LENGTH).order(SharedWords.ORDER);
        for (int i = 0; i < filled; i++) {
            if (copySlot(b, slotsOffset(counters) + i * SLOT_LENGTH, copy)) {
                connections.add(slot(copy));
            }
        }
        return Optional.of(new ProcessStats(file, owner, owner.isAlive(),
                SharedWords.getAcquire(b, PUBLISHED_MILLIS_OFFSET), SharedWords.getAcquire(b, PUBLICATIONS_OFFSET),
                Collections.unmodifiableMap(values), List.copyOf(connections),
                SharedWords.getAcquire(b, CONNECTIONS_OPEN_OFFSET)));
    }

    /** A seqlock read: an even sequence, the bytes, the same sequence again. */
    private static boolean copySlot(ByteBuffer b, int at, ByteBuffer copy) {
        for (int attempt = 0; attempt < SLOT_ATTEMPTS; attempt++) {
            // Acquire: the fields read below are no older than the even sequence that closed their write.
            long before = SharedWords.getAcquire(b, at + SLOT_SEQUENCE);
            if ((before & 1) == 0) {
                copy.put(0, b, at, SLOT_LENGTH);
                // The copy's loads complete before the sequence is loaded again, so a concurrent rewrite shows.
                VarHandle.loadLoadFence();
                if (SharedWords.getPlain(b, at + SLOT_SEQUENCE) == before) {
                    return true;
                }
            }
            Thread.onSpinWait();
        }
        return false;
    }

    private static ConnectionRecord slot(ByteBuffer s) {
        return new ConnectionRecord(name(STATES, s.get(SLOT_STATE)), name(ROLES, s.get(SLOT_ROLE)),
                name(MODES, s.get(SLOT_MODE)), s.getInt(SLOT_LOCAL_REASON), s.getInt(SLOT_PEER_REASON),
                endpoint(s, SLOT_LOCAL_ENDPOINT), endpoint(s, SLOT_PEER_ENDPOINT), s.getLong(SLOT_PEER_PID),
                s.getLong(SLOT_RMB_TOKEN), s.getInt(SLOT_RMB_SIZE), s.getLong(SLOT_PEER_DMB_TOKEN),
                s.getInt(SLOT_PEER_DMB_SIZE), s.getLong(SLOT_BYTES_SENT), s.getLong(SLOT_BYTES_RECEIVED),
                s.getLong(SLOT_TX_PRODUCER), s.getLong(SLOT_TX_CONSUMER), s.getLong(SLOT_RX_PRODUCER),
                s.getLong(SLOT_RX_CONSUMER));
    }

    private static InetSocketAddress endpoint(ByteBuffer s, int at) {
        if (SharedEndpoint.isEmpty(s, at)) {
            return null;
        }
        try {
            return SharedEndpoint.get(s, at, "endpoint");
        } catch (SmcdException e) {
            return null;
        }
    }
}
