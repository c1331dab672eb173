package io.smcd.sim.registry;

import static io.smcd.sim.registry.ListenerSegmentDescriptor.CLAIMED_CLC;
import static io.smcd.sim.registry.ListenerSegmentDescriptor.CLAIMED_JOIN;
import static io.smcd.sim.registry.ListenerSegmentDescriptor.CLOSED;
import static io.smcd.sim.registry.ListenerSegmentDescriptor.FREE;
import static io.smcd.sim.registry.ListenerSegmentDescriptor.PENDING;
import static io.smcd.sim.registry.ListenerSegmentDescriptor.RESERVED;

import io.smcd.sim.ProcessIdentity;
import io.smcd.sim.SharedEndpoint;
import io.smcd.sim.SharedFiles;
import io.smcd.sim.SharedWords;
import io.smcd.sim.SmcdDomain;
import io.smcd.sim.SmcdException;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A listening server's segment ({@link ListenerSegmentDescriptor}): published by {@link EndpointRegistry#registerListener}
 * while the server socket listens, it is where the server finds the intent of each connection it accepts and claims it.
 *
 * <p>Thread-safety: thread-safe. Claims and the sweep of dead clients' slots race only through each slot's state word.
 * An accepted connection that will claim later {@linkplain #retain() retains} the segment, so that {@link #close()}
 * unmaps it only once no claim can touch it.
 */
public final class ListenerSegment implements AutoCloseable {
    private final SmcdDomain domain;
    private final Path file;
    private final ListenerRecord record;
    private final SharedSegment shared;
    private final ByteBuffer segment;
    private final int slots;
    /** The slots seen RESERVED at the last sweep, by state word: a reservation still there one sweep later is stuck. */
    private final long[] reservedAtLastSweep;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ListenerSegment(SmcdDomain domain, Path file, ListenerRecord record, MappedByteBuffer mapping, int slots) {
        this.domain = domain;
        this.file = file;
        this.record = record;
        this.shared = new SharedSegment(mapping);
        this.segment = mapping.duplicate().order(SharedWords.ORDER);
        this.slots = slots;
        this.reservedAtLastSweep = new long[slots];
    }

    /**
     * Creates the segment under a temporary name, with its header complete, and renames it onto {@code file}, so that a
     * client sees either no segment, an older one, or this one whole.
     */
    static ListenerSegment create(SmcdDomain domain, Path file, ListenerRecord record, int slots) throws SmcdException {
        Path temp = domain.newTempFile("listener");
        MappedByteBuffer mapping = SharedFiles.createAndMap(temp, ListenerSegmentDescriptor.fileLength(slots));
        try {
            ListenerSegmentDescriptor.writeHeader(mapping.duplicate().order(SharedWords.ORDER), record, slots);
            RecordFiles.moveInto(temp, file);
            return new ListenerSegment(domain, file, record, mapping, slots);
        } catch (SmcdException | RuntimeException e) {
            SharedFiles.unmap(mapping);
            SharedFiles.deleteQuietly(temp);
            throw e;
        }
    }

    /** The header this segment was published with. */
    public ListenerRecord record() {
        return record;
    }

    /**
     * Looks for the intent of the client behind a connection this server accepted, identified by the accepted socket's
     * remote and local endpoints: a published one whose client endpoint is {@code acceptedRemote} and whose destination
     * reaches {@code acceptedLocal}. Reading it claims nothing: {@link #claimClc} or {@link #claimJoin} decide it. If
     * there is none but a reservation for that destination is still unpublished, its client may be the one behind this
     * connection, between its {@code connect()} and its publish: the lookup is then {@linkplain Lookup#unsettled()
     * unsettled} and worth repeating shortly.
     */
    public Lookup find(InetSocketAddress acceptedRemote, InetSocketAddress acceptedLocal) {
        InetSocketAddress remote = Endpoints.require("acceptedRemote", acceptedRemote, false);
        InetSocketAddress local = Endpoints.require("acceptedLocal", acceptedLocal, false);
        boolean unsettled = false;
        for (int index = 0; index < slots; index++) {
            int at = ListenerSegmentDescriptor.slotOffset(index);
            // Acquire: the client released PENDING after writing every field read below.
            long state = SharedWords.getAcquire(segment, at + ListenerSegmentDescriptor.SLOT_STATE);
            int kind = ListenerSegmentDescriptor.kind(state);
            if (kind == RESERVED) {
                unsettled |= reaches(at, local);
            } else if (kind == PENDING && SharedEndpoint.is(segment, at + ListenerSegmentDescriptor.SLOT_CLIENT_ENDPOINT, remote)
                    && reaches(at, local)) {
                try {
                    return new Lookup(read(index, at, state), false);
                } catch (SmcdException | IllegalArgumentException corrupt) {
                    // Not what a client writes: as good as no intent, and that connection is plain TCP.
                }
            }
        }
        return new Lookup(null, unsettled);
    }

    /** Claims {@code intent} for the CLC handshake; false if the client withdrew it first, so the connection is plain TCP. */
    public boolean claimClc(PendingIntent intent) {
        return claim(intent, CLAIMED_CLC);
    }

    /**
     * Claims {@code intent} and answers it with {@code answer}: the connection joins the link group, both sides run SMC-D
     * and no CLC message follows. False if the client withdrew first; the connection is then plain TCP.
     */
    public boolean claimJoin(PendingIntent intent, IntentAnswer answer) {
        int at = ListenerSegmentDescriptor.slotOffset(intent.slot());
        segment.putLong(at + ListenerSegmentDescriptor.SLOT_ANSWER_TOKEN, answer.rmbToken());
        segment.putInt(at + ListenerSegmentDescriptor.SLOT_ANSWER_GENERATION, answer.rmbGeneration());
        segment.put(at + ListenerSegmentDescriptor.SLOT_ANSWER_SIZE_CODE, (byte) answer.rmbSizeCode());
        segment.putShort(at + ListenerSegmentDescriptor.SLOT_ANSWER_CHID, (short) answer.chid());
        // The CAS publishes the answer: a client that reads CLAIMED_JOIN with acquire reads it complete. A failed CAS
        // leaves the answer in a slot the client has withdrawn and never reads.
        return claim(intent, CLAIMED_JOIN);
    }

    /**
     * Frees the slots of clients that died with an intent in flight, and reservations stuck since the last sweep (a
     * client that died between reserving and publishing). Call it periodically from one thread. Returns how many.
     */
    public int sweepDeadClients() {
        int freed = 0;
        for (int index = 0; index < slots; index++) {
            int at = ListenerSegmentDescriptor.slotOffset(index) + ListenerSegmentDescriptor.SLOT_STATE;
            long state = SharedWords.getAcquire(segment, at);
            int kind = ListenerSegmentDescriptor.kind(state);
            boolean stuck = kind == RESERVED && reservedAtLastSweep[index] == state;
            reservedAtLastSweep[index] = kind == RESERVED ? state : 0;
            if (kind == FREE || (kind == RESERVED && !stuck)) {
                continue;
            }
            boolean dead = stuck || !ListenerSegmentDescriptor.slotClient(segment, ListenerSegmentDescriptor.slotOffset(index))
                    .map(ProcessIdentity::isAlive).orElse(false);
            long free = ListenerSegmentDescriptor.state(FREE, ListenerSegmentDescriptor.sequence(state));
            if (dead && SharedWords.compareAndSet(segment, at, state, free)) {
                freed++;
            }
        }
        return freed;
    }

    /** Slots in use now: reserved, pending or claimed but not yet freed by their client. */
    public int busySlots() {
        int busy = 0;
        for (int index = 0; index < slots; index++) {
            long state = SharedWords.getAcquire(segment, ListenerSegmentDescriptor.slotOffset(index));
            if (ListenerSegmentDescriptor.kind(state) != FREE) {
                busy++;
            }
        }
        return busy;
    }

    /** Takes a hold on the mapping for a claim still to come; false once the segment is closed and unmapped. */
    public boolean retain() {
        return shared.retain();
    }

    /** Drops a hold {@link #retain()} took. */
    public void release() {
        shared.release();
    }

    /**
     * Stops listening: marks the header CLOSED (clients that cached it look no further), removes the file while it is
     * still this registration's, and drops this hold on the mapping. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // Release: a client that sees CLOSED stops using the segment; nothing it wrote before matters any more.
        SharedWords.setRelease(segment, ListenerSegmentDescriptor.STATE_OFFSET, CLOSED);
        RecordFiles.removeIf(domain, file, ListenerSegmentDescriptor.HEADER_LENGTH,
                header -> header.limit() >= ListenerSegmentDescriptor.HEADER_LENGTH
                        && header.getLong(ListenerSegmentDescriptor.MAGIC_OFFSET) == ListenerSegmentDescriptor.MAGIC
                        && header.getLong(ListenerSegmentDescriptor.NONCE_OFFSET) == record.nonce());
        shared.release();
    }

    private boolean claim(PendingIntent intent, int kind) {
        int at = ListenerSegmentDescriptor.slotOffset(intent.slot()) + ListenerSegmentDescriptor.SLOT_STATE;
        // One CAS against the client's withdraw, which starts from the same PENDING word: exactly one succeeds.
        return SharedWords.compareAndSet(segment, at, intent.state(),
                ListenerSegmentDescriptor.state(kind, ListenerSegmentDescriptor.sequence(intent.state())));
    }

    /** Whether the slot at {@code at} names a destination that a connection accepted on {@code local} can be. */
    private boolean reaches(int at, InetSocketAddress local) {
        try {
            return Endpoints.reaches(SharedEndpoint.get(segment, at + ListenerSegmentDescriptor.SLOT_DESTINATION, "destination"),
                    local);
        } catch (SmcdException corrupt) {
            return false;
        }
    }

    private PendingIntent read(int index, int at, long state) throws SmcdException {
        ProcessIdentity client = ListenerSegmentDescriptor.slotClient(segment, at)
                .orElseThrow(() -> ListenerSegmentDescriptor.corrupt("slot " + index + " names no client"));
        InetSocketAddress clientLocal = SharedEndpoint.get(segment, at + ListenerSegmentDescriptor.SLOT_CLIENT_ENDPOINT, "client");
        InetSocketAddress destination = SharedEndpoint.get(segment, at + ListenerSegmentDescriptor.SLOT_DESTINATION, "destination");
        int chidCount = Byte.toUnsignedInt(segment.get(at + ListenerSegmentDescriptor.SLOT_CHID_COUNT));
        if (chidCount > ListenerSegmentDescriptor.MAX_CHIDS) {
            throw ListenerSegmentDescriptor.corrupt("slot " + index + " chid count=" + chidCount);
        }
        List<Integer> chids = new ArrayList<>(chidCount);
        for (int i = 0; i < chidCount; i++) {
            chids.add(Short.toUnsignedInt(segment.getShort(at + ListenerSegmentDescriptor.SLOT_CHIDS + i * Short.BYTES)));
        }
        IntentOffer offer = new IntentOffer(segment.getLong(at + ListenerSegmentDescriptor.SLOT_OFFER_TOKEN),
                segment.getInt(at + ListenerSegmentDescriptor.SLOT_OFFER_GENERATION),
                Byte.toUnsignedInt(segment.get(at + ListenerSegmentDescriptor.SLOT_OFFER_SIZE_CODE)), chids);
        return new PendingIntent(index, state, client, clientLocal, destination, offer);
    }

    /**
     * What {@link #find} found: the intent, or null; and whether, without one, a reservation still unpublished may be
     * this connection's.
     *
     * @param intent    the pending intent, or null
     * @param unsettled no intent yet, but a client connecting to this destination has not published its endpoint
     */
    public record Lookup(PendingIntent intent, boolean unsettled) {
    }

    @Override
    public String toString() {
        return "ListenerSegment(" + record.address() + ", " + file.getFileName() + (closed.get() ? ", closed" : "") + ")";
    }
}
