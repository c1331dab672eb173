package io.smcd.sim.registry;

import static io.smcd.sim.registry.ListenerSegmentDescriptor.FREE;
import static io.smcd.sim.registry.ListenerSegmentDescriptor.RESERVED;

import io.smcd.sim.ProcessIdentity;
import io.smcd.sim.SharedEndpoint;
import io.smcd.sim.SharedWords;
import io.smcd.sim.SmcdException;
import io.smcd.sim.SmcdReason;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A live smcd listener as a client sees it: the server's segment ({@link ListenerSegmentDescriptor}), mapped once and
 * kept by the registry's cache, into which the client reserves and publishes the intent of each connection it opens to
 * the server.
 *
 * <p>Thread-safety: thread-safe; intents are published from any thread, each into a slot reserved by compare-and-set.
 */
public final class Listener {
    /** How long a confirmation that the server process lives is trusted: its death is noticed within this. */
    private static final long LIVENESS_TRUST_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ListenerRecord record;
    private final SharedSegment shared;
    private final ByteBuffer segment;
    private final int slots;
    private final Object fileKey;
    private volatile long confirmedAliveNanos;

    Listener(ListenerRecord record, SharedSegment shared, int slots, Object fileKey) {
        this.record = record;
        this.shared = shared;
        this.segment = shared.mapping().duplicate().order(SharedWords.ORDER);
        this.slots = slots;
        this.fileKey = fileKey;
        this.confirmedAliveNanos = System.nanoTime();
    }

    /** The server's header: its process, domain GID, listening address. */
    public ListenerRecord record() {
        return record;
    }

    /**
     * Reserves an intent slot for a connection to {@code destination} that offers {@code offer}; call it just before
     * connecting, and {@link ClientIntent#publish} the socket's endpoint right after, once {@code connect()} has picked
     * its port. The intent holds the mapping until it is decided.
     *
     * @throws SmcdException {@link SmcdReason#NOSMCDDEV} if every slot is busy, or the listener has just closed; the
     *                       client then connects as plain TCP
     */
    public ClientIntent reserve(InetSocketAddress destination, IntentOffer offer) throws SmcdException {
        InetSocketAddress target = Endpoints.require("destination", destination, true);
        if (!shared.retain()) {
            throw new SmcdException(SmcdReason.NOSMCDDEV, "the listener at " + record.address() + " closed");
        }
        try {
            int start = ThreadLocalRandom.current().nextInt(slots);
            for (int probe = 0; probe < slots; probe++) {
                int index = (start + probe) % slots;
                int at = ListenerSegmentDescriptor.slotOffset(index);
                long free = SharedWords.getAcquire(segment, at + ListenerSegmentDescriptor.SLOT_STATE);
                if (ListenerSegmentDescriptor.kind(free) != FREE) {
                    continue;
                }
                long reserved = ListenerSegmentDescriptor.state(RESERVED, ListenerSegmentDescriptor.sequence(free) + 1);
                if (SharedWords.compareAndSet(segment, at + ListenerSegmentDescriptor.SLOT_STATE, free, reserved)) {
                    write(at, target, offer);
                    return new ClientIntent(this, index, reserved);
                }
            }
            throw new SmcdException(SmcdReason.NOSMCDDEV, "all " + slots + " intent slots of the listener at "
                    + record.address() + " are busy");
        } catch (SmcdException | RuntimeException e) {
            shared.release();
            throw e;
        }
    }

    /**
     * Whether the cached mapping still serves: the server has not closed it, the file at its name is the one mapped, and
     * the server process lived less than 100 ms ago or lives now.
     */
    boolean isCurrent(Object currentFileKey) {
        if (SharedWords.getAcquire(segment, ListenerSegmentDescriptor.STATE_OFFSET) != ListenerSegmentDescriptor.OPEN
                || !fileKey.equals(currentFileKey)) {
            return false;
        }
        long now = System.nanoTime();
        if (now - confirmedAliveNanos < LIVENESS_TRUST_NANOS) {
            return true;
        }
        if (!record.owner().isAlive()) {
            return false;
        }
        confirmedAliveNanos = now;
        return true;
    }

    /** Writes the client's endpoint into a slot it reserved. */
    void writeEndpoint(int at, InetSocketAddress local) {
        SharedEndpoint.put(segment, at + ListenerSegmentDescriptor.SLOT_CLIENT_ENDPOINT, local);
    }

    /** The registry's cache dropped this listener; intents still in flight keep the mapping until they close. */
    void drop() {
        shared.release();
    }

    ByteBuffer segment() {
        return segment;
    }

    void releaseIntent() {
        shared.release();
    }

    private void write(int at, InetSocketAddress target, IntentOffer offer) {
        ProcessIdentity self = ProcessIdentity.current();
        segment.putLong(at + ListenerSegmentDescriptor.SLOT_CLIENT_PID, self.pid());
        segment.putLong(at + ListenerSegmentDescriptor.SLOT_CLIENT_START, self.startMillis());
        SharedEndpoint.put(segment, at + ListenerSegmentDescriptor.SLOT_DESTINATION, target);
        segment.putLong(at + ListenerSegmentDescriptor.SLOT_OFFER_TOKEN, offer.rmbToken());
        segment.putInt(at + ListenerSegmentDescriptor.SLOT_OFFER_GENERATION, offer.rmbGeneration());
        segment.put(at + ListenerSegmentDescriptor.SLOT_OFFER_SIZE_CODE, (byte) offer.rmbSizeCode());
        segment.put(at + ListenerSegmentDescriptor.SLOT_CHID_COUNT, (byte) offer.chids().size());
        for (int i = 0; i < ListenerSegmentDescriptor.MAX_CHIDS; i++) {
            int chid = i < offer.chids().size() ? offer.chids().get(i) : 0;
            segment.putShort(at + ListenerSegmentDescriptor.SLOT_CHIDS + i * Short.BYTES, (short) chid);
        }
    }

    @Override
    public String toString() {
        return "Listener(" + record.address() + ", owner=" + record.owner().pid() + ")";
    }
}
