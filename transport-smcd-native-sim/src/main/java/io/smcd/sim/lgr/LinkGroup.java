package io.smcd.sim.lgr;

import io.smcd.sim.DmbSize;
import io.smcd.sim.ProcessIdentity;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.jctools.queues.MpmcUnboundedXaddArrayQueue;

/**
 * This process's side of the link group with one peer process: its own RMBs dedicated to that peer, pooled per ring
 * size, and the link id that names the group in CLC Accept and Confirm messages. A DMB mapped by a peer is bound to
 * that peer (its file is gone once attached), which is why pools are per peer, as the kernel keeps buffers per link
 * group. The group lives as long as the peer process does.
 *
 * <p>Idle DMBs are trimmed as the kernel's link groups linger: the pool keeps what the last linger period needed, so a
 * peer that once opened many connections and now opens few gives the surplus back.
 *
 * <p>Thread-safety: thread-safe and lock-free; connections on any event loop lease and release, the sweeper trims.
 */
public final class LinkGroup {
    private static final int CHUNK = 32;

    private final LinkGroups table;
    private final ProcessIdentity peer;
    private final int linkId;
    @SuppressWarnings("unchecked")
    private final MpmcUnboundedXaddArrayQueue<OwnedDmb>[] free = new MpmcUnboundedXaddArrayQueue[DmbSize.MAX_CODE + 1];
    /** Per size code: the fewest idle DMBs seen since the trim window opened, i.e. what the window did not need. */
    private final AtomicInteger[] fewestFree = new AtomicInteger[DmbSize.MAX_CODE + 1];
    private final MpmcUnboundedXaddArrayQueue<OwnedDmb> draining = new MpmcUnboundedXaddArrayQueue<>(CHUNK);
    private final AtomicInteger ownDmbs = new AtomicInteger();
    private volatile boolean dissolved;
    private long trimWindowStartNanos;

    LinkGroup(LinkGroups table, ProcessIdentity peer, long nowNanos) {
        this.table = table;
        this.peer = peer;
        this.linkId = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        for (int code = 0; code < free.length; code++) {
            free[code] = new MpmcUnboundedXaddArrayQueue<>(CHUNK);
            fewestFree[code] = new AtomicInteger();
        }
        this.trimWindowStartNanos = nowNanos;
    }

    /** The peer process. */
    public ProcessIdentity peer() {
        return peer;
    }

    /** This side's id of the group, sent in the Accept when this side accepts, echoed in the Confirm. */
    public int linkId() {
        return linkId;
    }

    /** RMBs of this group that exist now: lent, idle or waiting for the peer. */
    public int ownDmbs() {
        return ownDmbs.get();
    }

    /** Idle RMBs ready to lend. */
    public int freeDmbs() {
        int n = 0;
        for (MpmcUnboundedXaddArrayQueue<OwnedDmb> queue : free) {
            n += queue.size();
        }
        return n;
    }

    /** RMBs whose connection ended here but whose peer still has its side open. */
    public int drainingDmbs() {
        return draining.size();
    }

    boolean isDissolved() {
        return dissolved;
    }

    /** An idle RMB of {@code sizeCode}, reset and ready, or null if none: the pool first, then the drained ones. */
    OwnedDmb takeIdle(int sizeCode) {
        MpmcUnboundedXaddArrayQueue<OwnedDmb> queue = free[sizeCode];
        OwnedDmb dmb = queue.relaxedPoll();
        if (dmb != null) {
            noteFree(sizeCode, queue.size());
            return dmb;
        }
        for (int n = draining.size(); n > 0; n--) {
            OwnedDmb d = draining.relaxedPoll();
            if (d == null) {
                break;
            }
            if (!d.writerReleased()) {
                draining.relaxedOffer(d);
            } else if (d.dmb().ringSize() == DmbSize.sizeOf(sizeCode)) {
                d.reset();
                return d;
            } else {
                d.reset();
                offerFree(d);
            }
        }
        return null;
    }

    void created() {
        ownDmbs.incrementAndGet();
    }

    /** Takes a DMB back from its connection; {@code used}: the peer may have written into it. */
    void returnRmb(OwnedDmb dmb, boolean used) {
        if (dissolved) {
            retire(dmb);
        } else if (!used || dmb.writerReleased()) {
            dmb.reset();
            offerFree(dmb);
        } else {
            dmb.drain(System.nanoTime());
            draining.relaxedOffer(dmb);
            if (dissolved) {
                retireQueued(draining);
            }
        }
    }

    /**
     * Housekeeping, once per sweep: moves drained RMBs back to the pools, retires those whose peer kept its side open
     * for longer than {@code lingerNanos}, and at the end of each linger window retires the idle RMBs the window never
     * needed.
     */
    void sweep(long nowNanos, long lingerNanos) {
        for (int n = draining.size(); n > 0 && !dissolved; n--) {
            OwnedDmb d = draining.relaxedPoll();
            if (d == null) {
                break;
            }
            if (d.writerReleased()) {
                d.reset();
                offerFree(d);
            } else if (nowNanos - d.drainingSinceNanos() > lingerNanos) {
                retire(d);
            } else {
                draining.relaxedOffer(d);
            }
        }
        if (nowNanos - trimWindowStartNanos < lingerNanos) {
            return;
        }
        trimWindowStartNanos = nowNanos;
        for (int code = 0; code < free.length; code++) {
            for (int surplus = fewestFree[code].get(); surplus > 0; surplus--) {
                OwnedDmb d = free[code].relaxedPoll();
                if (d == null) {
                    break;
                }
                retire(d);
            }
            fewestFree[code].set(free[code].size());
        }
    }

    /** The peer died or the table closes: retires every idle and draining RMB now, and the lent ones on release. */
    void dissolve() {
        dissolved = true;
        for (MpmcUnboundedXaddArrayQueue<OwnedDmb> queue : free) {
            retireQueued(queue);
        }
        retireQueued(draining);
    }

    private void offerFree(OwnedDmb dmb) {
        MpmcUnboundedXaddArrayQueue<OwnedDmb> queue = free[DmbSize.codeFor(dmb.dmb().ringSize())];
        queue.relaxedOffer(dmb);
        if (dissolved) {
            // Raced with dissolve(): whichever of the two polls the DMB retires it.
            retireQueued(queue);
        }
    }

    /** Lowers the window's low-water mark of idle DMBs; a lost race only keeps one DMB a window longer. */
    private void noteFree(int sizeCode, int size) {
        AtomicInteger fewest = fewestFree[sizeCode];
        int seen = fewest.get();
        if (size < seen) {
            fewest.compareAndSet(seen, size);
        }
    }

    private void retireQueued(MpmcUnboundedXaddArrayQueue<OwnedDmb> queue) {
        OwnedDmb d;
        while ((d = queue.relaxedPoll()) != null) {
            retire(d);
        }
    }

    private void retire(OwnedDmb dmb) {
        dmb.retire();
        ownDmbs.decrementAndGet();
        table.retired();
    }

    @Override
    public String toString() {
        return "LinkGroup(peer=" + peer + ", linkId=0x" + Integer.toHexString(linkId) + ", own=" + ownDmbs.get()
                + ", free=" + freeDmbs() + ", draining=" + drainingDmbs() + (dissolved ? ", dissolved" : "") + ")";
    }
}
