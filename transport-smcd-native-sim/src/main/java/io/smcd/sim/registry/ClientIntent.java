package io.smcd.sim.registry;

import static io.smcd.sim.registry.ListenerSegmentDescriptor.CLAIMED_CLC;
import static io.smcd.sim.registry.ListenerSegmentDescriptor.CLAIMED_JOIN;
import static io.smcd.sim.registry.ListenerSegmentDescriptor.FREE;
import static io.smcd.sim.registry.ListenerSegmentDescriptor.PENDING;

import io.smcd.sim.SharedWords;
import io.smcd.sim.SmcdException;
import io.smcd.sim.SmcdReason;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A client's intent to negotiate SMC-D on one connection, in its slot of the server's segment: reserved before
 * connecting ({@link Listener#reserve}), {@linkplain #publish published} with the socket's endpoint right after. It is
 * decided exactly once, by the server's claim or by the client's withdraw; the client learns which from
 * {@link #decide()}, and must call it (or {@link #close()}) on every path.
 *
 * <p>Thread-safety: confined to the connection's thread.
 */
public final class ClientIntent implements AutoCloseable {
    /** How the intent was decided. */
    public enum Outcome {
        /** The client withdrew it before any claim: plain TCP, and whatever the server sends is its data. */
        WITHDRAWN,
        /** The server claimed it and speaks CLC next. */
        CLC,
        /** The server claimed it, joined the connection to the link group and runs SMC-D: see {@link #answer()}. */
        JOINED
    }

    private final Listener listener;
    private final int slotState;
    private final long reserved;
    private long pending;
    private Outcome outcome;
    private IntentAnswer answer;
    private boolean closed;

    ClientIntent(Listener listener, int slot, long reserved) {
        this.listener = listener;
        this.slotState = ListenerSegmentDescriptor.slotOffset(slot) + ListenerSegmentDescriptor.SLOT_STATE;
        this.reserved = reserved;
    }

    /** The listener the intent was published to. */
    public Listener listener() {
        return listener;
    }

    /**
     * Publishes the endpoint of the client socket, {@code clientLocal} (a concrete address and the port {@code connect()}
     * picked), which the server sees as the accepted remote: from now on the server can find and claim the intent.
     *
     * @throws SmcdException {@link SmcdReason#SYNCERR} if the reservation was taken away (the server's sweep found it
     *                       stuck); the intent is then decided as withdrawn and the connection is plain TCP
     */
    public void publish(InetSocketAddress clientLocal) throws SmcdException {
        InetSocketAddress local = Endpoints.require("clientLocal", clientLocal, false);
        if (pending != 0 || outcome != null) {
            throw new IllegalStateException("intent published already: " + this);
        }
        ByteBuffer segment = segment();
        listener.writeEndpoint(slotState - ListenerSegmentDescriptor.SLOT_STATE, local);
        long published = ListenerSegmentDescriptor.state(PENDING, ListenerSegmentDescriptor.sequence(reserved));
        // CAS, not a store: a sweep that took a stuck reservation wins over a late publish. Its volatile semantics
        // publish the endpoint written above to a server that reads PENDING with acquire.
        if (!SharedWords.compareAndSet(segment, slotState, reserved, published)) {
            finish(Outcome.WITHDRAWN, null);
            throw new SmcdException(SmcdReason.SYNCERR, "intent reservation taken away before it was published");
        }
        pending = published;
    }

    /** Whether the server has claimed the intent already; a withdraw would then lose. Does not decide anything. */
    public boolean isClaimed() {
        if (outcome != null) {
            return outcome != Outcome.WITHDRAWN;
        }
        return pending != 0 && SharedWords.getAcquire(segment(), slotState) != pending;
    }

    /**
     * Decides the intent, once: withdraws it unless the server claimed it first, and frees the slot. Call it when bytes
     * arrive from the server, or when the bounded wait for them passes. Later calls return the same outcome.
     *
     * @throws SmcdException {@link SmcdReason#SYNCERR} if the slot holds a state no server writes
     */
    public Outcome decide() throws SmcdException {
        if (outcome != null) {
            return outcome;
        }
        ByteBuffer segment = segment();
        long free = ListenerSegmentDescriptor.state(FREE, ListenerSegmentDescriptor.sequence(reserved));
        if (pending == 0) {
            // Never published: no server can have claimed it. The CAS leaves alone a slot a sweep took and reused.
            SharedWords.compareAndSet(segment, slotState, reserved, free);
            return finish(Outcome.WITHDRAWN, null);
        }
        // One CAS against the server's claim, which starts from the same PENDING word: exactly one succeeds.
        if (SharedWords.compareAndSet(segment, slotState, pending, free)) {
            return finish(Outcome.WITHDRAWN, null);
        }
        // Acquire: the server wrote its answer before its claim, so the answer read below is complete.
        long claimed = SharedWords.getAcquire(segment, slotState);
        int kind = ListenerSegmentDescriptor.kind(claimed);
        if (ListenerSegmentDescriptor.sequence(claimed) != ListenerSegmentDescriptor.sequence(pending)
                || (kind != CLAIMED_CLC && kind != CLAIMED_JOIN)) {
            finish(Outcome.CLC, null);
            throw new SmcdException(SmcdReason.SYNCERR, "intent slot state 0x" + Long.toHexString(claimed)
                    + " after 0x" + Long.toHexString(pending));
        }
        IntentAnswer joined = null;
        if (kind == CLAIMED_JOIN) {
            int at = slotState - ListenerSegmentDescriptor.SLOT_STATE;
            try {
                joined = new IntentAnswer(segment.getLong(at + ListenerSegmentDescriptor.SLOT_ANSWER_TOKEN),
                        segment.getInt(at + ListenerSegmentDescriptor.SLOT_ANSWER_GENERATION),
                        Byte.toUnsignedInt(segment.get(at + ListenerSegmentDescriptor.SLOT_ANSWER_SIZE_CODE)),
                        Short.toUnsignedInt(segment.getShort(at + ListenerSegmentDescriptor.SLOT_ANSWER_CHID)));
            } catch (IllegalArgumentException e) {
                SharedWords.compareAndSet(segment, slotState, claimed, free);
                finish(Outcome.JOINED, null);
                throw new SmcdException(SmcdReason.SYNCERR, "intent answer is not one a server writes: " + e.getMessage(), e);
            }
        }
        // The server is done with the slot once it claimed; the CAS (not a store) leaves alone a slot that the server's
        // sweep has freed and another client reserved meanwhile.
        SharedWords.compareAndSet(segment, slotState, claimed, free);
        return finish(kind == CLAIMED_JOIN ? Outcome.JOINED : Outcome.CLC, joined);
    }

    /** The server's answer once {@link #decide()} returned {@link Outcome#JOINED}; otherwise null. */
    public IntentAnswer answer() {
        return answer;
    }

    /** Decides the intent if still undecided, ignoring the outcome, for a client that abandons the connection. Idempotent. */
    @Override
    public void close() {
        try {
            decide();
        } catch (SmcdException e) {
            // The connection is being abandoned: whatever the slot said, no one will act on it.
        }
    }

    private Outcome finish(Outcome decided, IntentAnswer joined) {
        outcome = decided;
        answer = joined;
        if (!closed) {
            closed = true;
            listener.releaseIntent();
        }
        return decided;
    }

    private ByteBuffer segment() {
        if (closed) {
            throw new IllegalStateException("intent decided: " + outcome);
        }
        return listener.segment();
    }

    @Override
    public String toString() {
        return "ClientIntent(" + listener + ", " + (outcome == null ? "undecided" : outcome) + ")";
    }
}
