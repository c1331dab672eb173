package io.smcd.sim.stats;

import static io.smcd.sim.stats.StatsDescriptor.*;

import io.smcd.sim.ProcessIdentity;
import io.smcd.sim.SharedEndpoint;
import io.smcd.sim.SharedFiles;
import io.smcd.sim.SharedWords;
import io.smcd.sim.SmcdDomain;
import io.smcd.sim.SmcdException;
import io.smcd.sim.SmcdReason;
import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.List;

/**
 * This process's statistics file in a domain ({@link StatsDescriptor}): created with its counter labels, then
 * rewritten by {@link #publish} with the counters' values and a table of connections. Readers see each value whole and
 * each connection slot consistent, never a half-written one.
 *
 * <p>Thread-safety: thread-safe; {@link #publish} and {@link #close()} exclude each other, so the file has one writer
 * per word and a close (at JVM exit, say) never unmaps under a publication.
 */
public final class StatsFile implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final MappedByteBuffer mapping;
    private final int counters;
    private final int slots;
    private long publications;
    private boolean closed;

    private StatsFile(Path file, MappedByteBuffer mapping, int counters, int slots) {
        this.file = file;
        this.mapping = mapping;
        this.counters = counters;
        this.slots = slots;
    }

    /**
     * Creates the file in {@code domain} with {@code labels} (ASCII, at most {@value StatsDescriptor#MAX_LABEL_LENGTH}
     * characters each) and room for {@code slots} connections. The file appears under its name complete, with every
     * value 0.
     *
     * @throws SmcdException {@link SmcdReason#MEM} if the domain has no room, {@link SmcdReason#CNFERR} if it refuses
     */
    public static StatsFile create(SmcdDomain domain, List<String> labels, int slots) throws SmcdException {
        for (String label : labels) {
            if (label.isEmpty() || label.length() > MAX_LABEL_LENGTH || !StandardCharsets.US_ASCII.newEncoder().canEncode(label)) {
                throw new IllegalArgumentException("label=" + label + " is not 1.." + MAX_LABEL_LENGTH + " ASCII characters");
            }
        }
        ProcessIdentity self = ProcessIdentity.current();
        Path temp = domain.newTempFile("stats");
        MappedByteBuffer mapping = SharedFiles.createAndMap(temp, fileLength(labels.size(), slots));
        mapping.order(SharedWords.ORDER);
        try {
            writeHeader(mapping, self, labels, slots);
            Path file = domain.directory().resolve(FILE_PREFIX + self.pid() + "-" + self.startMillis() + "-"
                    + Long.toHexString(RANDOM.nextLong()));
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            return new StatsFile(file, mapping, labels.size(), slots);
        } catch (IOException e) {
            SharedFiles.unmap(mapping);
            SharedFiles.deleteQuietly(temp);
            throw new SmcdException(SmcdReason.CNFERR, "cannot publish statistics file in " + domain.directory() + ": " + e, e);
        } catch (RuntimeException e) {
            SharedFiles.unmap(mapping);
            SharedFiles.deleteQuietly(temp);
            throw e;
        }
    }

    private static void writeHeader(MappedByteBuffer b, ProcessIdentity self, List<String> labels, int slots) {
        SharedWords.setPlain(b, MAGIC_OFFSET, MAGIC);
        SharedWords.setPlain(b, OWNER_PID_OFFSET, self.pid());
        SharedWords.setPlain(b, OWNER_START_OFFSET, self.startMillis());
        b.putInt(COUNTER_COUNT_OFFSET, labels.size());
        b.putInt(SLOT_COUNT_OFFSET, slots);
        for (int i = 0; i < labels.size(); i++) {
            byte[] label = labels.get(i).getBytes(StandardCharsets.US_ASCII);
            b.put(counterOffset(i) + COUNTER_LABEL_LENGTH, (byte) label.length);
            b.put(counterOffset(i) + COUNTER_LABEL, label);
        }
        // Release: a reader that acquires the version sees every field and label above.
        SharedWords.setRelease(b, LAYOUT_VERSION_OFFSET, LAYOUT_VERSION);
    }

    /** The file's path. */
    public Path file() {
        return file;
    }

    /** Connection slots: {@link #publish} shows this many connections at most. */
    public int slots() {
        return slots;
    }

    /**
     * Publishes {@code values} (one per label, in label order) and the first {@link #slots()} of {@code connections},
     * of {@code connectionsOpen} open in all.
     */
    public synchronized void publish(long[] values, List<ConnectionRecord> connections, long connectionsOpen) {
        if (closed) {
            return;
        }
        writeCounters(values);
        int filled = Math.min(slots, connections.size());
        for (int i = 0; i < filled; i++) {
            writeSlot(slotsOffset(counters) + i * SLOT_LENGTH, connections.get(i));
        }
        // Release: a reader that acquires the count sees the slots' sequences written above.
        SharedWords.setRelease(mapping, SLOTS_FILLED_OFFSET, filled);
        SharedWords.setRelease(mapping, CONNECTIONS_OPEN_OFFSET, connectionsOpen);
        published();
    }

    /** Publishes {@code values} and leaves the connection table as the last {@link #publish} wrote it. */
    public synchronized void publishCounters(long[] values) {
        if (!closed) {
            writeCounters(values);
            published();
        }
    }

    private void writeCounters(long[] values) {
        if (values.length != counters) {
            throw new IllegalArgumentException("values=" + values.length + ", labels=" + counters);
        }
        for (int i = 0; i < counters; i++) {
            // Release: each value is one store, so a reader sees it whole; one writer, so no read-modify-write.
            SharedWords.setRelease(mapping, counterOffset(i) + COUNTER_VALUE, values[i]);
        }
    }

    private void published() {
        SharedWords.setRelease(mapping, PUBLICATIONS_OFFSET, ++publications);
        SharedWords.setRelease(mapping, PUBLISHED_MILLIS_OFFSET, System.currentTimeMillis());
    }

    /** A seqlock write: odd sequence, fields, even sequence. */
    private void writeSlot(int at, ConnectionRecord c) {
        long sequence = SharedWords.getPlain(mapping, at + SLOT_SEQUENCE);
        SharedWords.setPlain(mapping, at + SLOT_SEQUENCE, sequence + 1);
        // The odd sequence is visible before any field changes, so a reader that copied a changing field re-reads.
        VarHandle.storeStoreFence();
        mapping.put(at + SLOT_STATE, (byte) code(STATES, c.state()));
        mapping.put(at + SLOT_ROLE, (byte) code(ROLES, c.role()));
        mapping.put(at + SLOT_MODE, (byte) code(MODES, c.mode()));
        mapping.putInt(at + SLOT_LOCAL_REASON, c.localReason());
        mapping.putInt(at + SLOT_PEER_REASON, c.peerReason());
        mapping.putInt(at + SLOT_RMB_SIZE, c.rmbSize());
        mapping.putLong(at + SLOT_RMB_TOKEN, c.rmbToken());
        mapping.putLong(at + SLOT_PEER_DMB_TOKEN, c.peerDmbToken());
        mapping.putInt(at + SLOT_PEER_DMB_SIZE, c.peerDmbSize());
        mapping.putLong(at + SLOT_PEER_PID, c.peerPid());
        mapping.putLong(at + SLOT_BYTES_SENT, c.bytesSent());
        mapping.putLong(at + SLOT_BYTES_RECEIVED, c.bytesReceived());
        SharedEndpoint.put(mapping, at + SLOT_LOCAL_ENDPOINT, c.local());
        SharedEndpoint.put(mapping, at + SLOT_PEER_ENDPOINT, c.peer());
        mapping.putLong(at + SLOT_TX_PRODUCER, c.txProducer());
        mapping.putLong(at + SLOT_TX_CONSUMER, c.txConsumer());
        mapping.putLong(at + SLOT_RX_PRODUCER, c.rxProducer());
        mapping.putLong(at + SLOT_RX_CONSUMER, c.rxConsumer());
        // Release: every field above is visible no later than the even sequence that closes the write.
        SharedWords.setRelease(mapping, at + SLOT_SEQUENCE, sequence + 2);
    }

    /** Removes the file and unmaps it; later publications do nothing. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            SharedFiles.deleteQuietly(file);
            SharedFiles.unmap(mapping);
        }
    }

    @Override
    public String toString() {
        return "StatsFile(" + file + ")";
    }
}
