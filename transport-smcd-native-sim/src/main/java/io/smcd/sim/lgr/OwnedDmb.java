package io.smcd.sim.lgr;

import io.smcd.sim.CdcDescriptor;
import io.smcd.sim.CdcFlags;
import io.smcd.sim.DmbDescriptor;
import io.smcd.sim.DmbLease;
import io.smcd.sim.DmbSegment;
import io.smcd.sim.SharedWords;

/**
 * One of this process's RMBs in a link group: lent to one connection at a time ({@link DmbLease}), with a new
 * generation per lease. See the {@link io.smcd.sim.lgr package} for its states.
 *
 * <p>Thread-safety: a DMB belongs to one thread at a time: the pool's taker, then its connection, then the pool
 * again; the hand-overs go through the pools' queues, which order them. {@link #state()} may be read by any thread.
 */
public final class OwnedDmb implements DmbLease {
    enum State { FREE, LEASED, DRAINING, RETIRED }

    private final LinkGroup group;
    private final DmbSegment dmb;
    private volatile State state = State.FREE;
    private long generation;
    /** The peer confirmed it mapped this DMB, so later handshakes need no Confirm for it. */
    private volatile boolean knownToPeer;
    private long drainingSinceNanos;

    OwnedDmb(LinkGroup group, DmbSegment dmb) {
        this.group = group;
        this.dmb = dmb;
    }

    @Override
    public DmbSegment dmb() {
        return dmb;
    }

    @Override
    public long generation() {
        return generation;
    }

    /** The link group this DMB serves. */
    public LinkGroup group() {
        return group;
    }

    /** Whether the peer has mapped this DMB already: an Accept offering it is then not a first contact. */
    public boolean isKnownToPeer() {
        return knownToPeer;
    }

    /** Records that the peer mapped this DMB: it confirmed a handshake that offered it. */
    public void markKnownToPeer() {
        knownToPeer = true;
    }

    /**
     * Ends a lease the peer may have written into (its connection ran, or may have started): the DMB is lent again once
     * the peer's close flag shows it is done with it.
     */
    @Override
    public void release() {
        if (state == State.LEASED) {
            group.returnRmb(this, true);
        }
    }

    /** Ends a lease the peer never wrote into: it declined the handshake, so the DMB can be lent again at once. */
    public void releaseUnused() {
        if (state == State.LEASED) {
            group.returnRmb(this, false);
        }
    }

    State state() {
        return state;
    }

    /** Starts a lease: the next generation, published in the header before any CLC message names it. */
    void lease() {
        generation++;
        if (generation == DmbDescriptor.RETIRED) {
            generation = 1;
        }
        // Plain stores: the release store of the generation below publishes them to the next writer.
        DmbDescriptor.clearCdcBlock(dmb.buffer());
        dmb.setGenerationRelease(generation);
        state = State.LEASED;
    }

    /** Whether the writer of the last lease published its close flag, its last store into this DMB. */
    boolean writerReleased() {
        // Acquire: pairs with the writer's release of its final flags, so its earlier stores are complete too.
        long flags = SharedWords.getAcquire(dmb.buffer(), CdcDescriptor.FLAGS_OFFSET);
        return (flags & (CdcFlags.PEER_CONN_CLOSED | CdcFlags.PEER_CONN_ABORT)) != 0;
    }

    /** Zeroes what the last writer left in the ring; {@link #lease()} clears the CDC block. */
    void reset() {
        DmbDescriptor.zeroUsedRing(dmb.buffer(), dmb.ringSize());
        state = State.FREE;
    }

    void drain(long nowNanos) {
        state = State.DRAINING;
        drainingSinceNanos = nowNanos;
    }

    long drainingSinceNanos() {
        return drainingSinceNanos;
    }

    /** Stops lending: tells the peer through the header, then unlinks (if never attached) and unmaps. */
    void retire() {
        state = State.RETIRED;
        dmb.setGenerationRelease(DmbDescriptor.RETIRED);
        dmb.close();
    }

    @Override
    public String toString() {
        return "OwnedDmb(" + dmb + ", " + state + ", generation=" + generation + ")";
    }
}
