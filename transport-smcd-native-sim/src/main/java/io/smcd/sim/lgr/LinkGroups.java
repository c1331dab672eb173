package io.smcd.sim.lgr;

import io.smcd.sim.DmbSegment;
import io.smcd.sim.DmbSize;
import io.smcd.sim.ProcessIdentity;
import io.smcd.sim.SmcdDomain;
import io.smcd.sim.SmcdException;
import io.smcd.sim.SmcdReason;
import io.smcd.sim.SndbufPool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One process's link groups in one shared-memory domain: where connections lease their DMBs. A connection's own RMB
 * comes from the pool of the link group with its peer process ({@link #leaseRmb}); the peer's DMB comes from the index
 * of DMBs this process has mapped ({@link #leasePeerDmb}). Only a DMB new to the pair costs file operations (create,
 * zero-fill and map here; map and unlink at the peer); every later lease is a queue operation and a header store. See
 * the {@link io.smcd.sim.lgr package} for the life of a DMB and why reuse is safe.
 *
 * <p>It also does the DMB accounting of the domain: at most {@code maxDmbs} own DMBs exist at once (loopback-ism's
 * limit is 5000), whichever device their connections use. {@link #sweep()} does the housekeeping and must be called
 * periodically (the transport does, about once a second): drained DMBs return to the pools, idle ones are trimmed
 * after the linger time, dead peers' groups are dissolved and the mappings of DMBs their owners retired are dropped.
 *
 * <p>Thread-safety: thread-safe; leases and releases come from any event loop, the sweep from its own thread.
 */
public final class LinkGroups implements AutoCloseable {
    /** {@code SMC_LO_MAX_DMBS}. */
    public static final int DEFAULT_MAX_DMBS = 5000;
    /** How long idle DMBs stay pooled: a tenth of the kernel's 600 s link-group linger, as DMBs here are larger. */
    public static final long DEFAULT_LINGER_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Idle copy-device send buffers kept per ring size. */
    private static final int SNDBUFS_PER_SIZE = 16;

    private final SmcdDomain domain;
    private final int maxDmbs;
    private final long lingerNanos;
    private final ConcurrentHashMap<ProcessIdentity, LinkGroup> groups = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, AttachedDmb> attached = new ConcurrentHashMap<>();
    private final Object attachLock = new Object();
    private final AtomicInteger ownDmbs = new AtomicInteger();
    private final SndbufPool sndbufs = new SndbufPool(SNDBUFS_PER_SIZE);
    private final LongAdder rmbsReused = new LongAdder();
    private final LongAdder rmbsCreated = new LongAdder();
    private final LongAdder peerDmbsReused = new LongAdder();
    private final LongAdder peerDmbsAttached = new LongAdder();
    private volatile boolean closed;

    /** Link groups in {@code domain} with the defaults: {@value #DEFAULT_MAX_DMBS} DMBs, 60 s linger. */
    public LinkGroups(SmcdDomain domain) {
        this(domain, DEFAULT_MAX_DMBS, DEFAULT_LINGER_NANOS);
    }

    /** Link groups in {@code domain} holding at most {@code maxDmbs} own DMBs, pooling idle ones for {@code lingerNanos}. */
    public LinkGroups(SmcdDomain domain, int maxDmbs, long lingerNanos) {
        if (maxDmbs <= 0 || lingerNanos < 0) {
            throw new IllegalArgumentException("maxDmbs=" + maxDmbs + " lingerNanos=" + lingerNanos);
        }
        this.domain = domain;
        this.maxDmbs = maxDmbs;
        this.lingerNanos = lingerNanos;
    }

    /** The domain the DMBs live in. */
    public SmcdDomain domain() {
        return domain;
    }

    /** Send buffers for connections on a copy device. */
    public SndbufPool sndbufs() {
        return sndbufs;
    }

    /** The link group with {@code peer}, created if there is none yet. */
    public LinkGroup group(ProcessIdentity peer) {
        while (true) {
            LinkGroup group = groups.computeIfAbsent(peer, p -> new LinkGroup(this, p, System.nanoTime()));
            if (!group.isDissolved()) {
                return group;
            }
            groups.remove(peer, group);
        }
    }

    /**
     * Lends an own RMB of {@code ringSize} bytes for a connection with {@code peer}: an idle one of their link group,
     * or a new one.
     *
     * @throws SmcdException {@link SmcdReason#MAX_DMB} at the DMB limit, {@link SmcdReason#MEM} when the domain has no
     *                       room for a new DMB
     */
    public OwnedDmb leaseRmb(ProcessIdentity peer, int ringSize) throws SmcdException {
        OwnedDmb dmb = leaseIdleRmb(peer, ringSize);
        if (dmb == null) {
            LinkGroup group = group(peer);
            dmb = new OwnedDmb(group, register(ringSize));
            group.created();
            rmbsCreated.increment();
            dmb.lease();
        }
        return dmb;
    }

    /** Lends an idle own RMB of {@code ringSize} bytes of the link group with {@code peer}, or null if there is none. */
    public OwnedDmb leaseIdleRmb(ProcessIdentity peer, int ringSize) throws SmcdException {
        checkOpen();
        OwnedDmb dmb = group(peer).takeIdle(DmbSize.codeFor(checkSize(ringSize)));
        if (dmb != null) {
            rmbsReused.increment();
            dmb.lease();
        }
        return dmb;
    }

    /**
     * Lends the peer's DMB {@code token} for a connection, if its header shows the lease {@code wireGeneration} (the
     * low 16 bits the CLC message carries). A DMB not mapped yet is attached if {@code mayAttach}: its file is mapped,
     * validated and unlinked; otherwise its absence is an error, since the peer said it was known here.
     *
     * @param expectedOwner the peer process if known (the server knows its client from the intent), else null
     * @throws SmcdException {@link SmcdReason#MEM} if the file cannot be found or mapped; {@link SmcdReason#SYNCERR}
     *                       if its header, size, owner or generation is wrong, it is retired, or it is busy
     */
    public AttachedDmb leasePeerDmb(long token, int wireGeneration, int ringSize, ProcessIdentity expectedOwner,
            boolean mayAttach) throws SmcdException {
        checkOpen();
        AttachedDmb dmb = attached.get(token);
        boolean reused = dmb != null;
        if (!reused) {
            if (!mayAttach) {
                throw new SmcdException(SmcdReason.SYNCERR, "DMB " + String.format("%016x", token)
                        + " is not mapped here, but the peer offered it as known");
            }
            dmb = attach(token, ringSize);
        }
        if (dmb.dmb().ringSize() != ringSize) {
            throw new SmcdException(SmcdReason.SYNCERR, "DMB " + dmb.dmb() + " has ring size " + dmb.dmb().ringSize()
                    + ", the peer said " + ringSize);
        }
        if (expectedOwner != null && !expectedOwner.equals(dmb.owner())) {
            throw new SmcdException(SmcdReason.SYNCERR, "DMB " + dmb.dmb() + " belongs to " + dmb.owner()
                    + ", not to the peer " + expectedOwner);
        }
        dmb.lease(wireGeneration);
        if (reused) {
            peerDmbsReused.increment();
        }
        return dmb;
    }

    /** Housekeeping; see the class comment. Safe to run concurrently with leases and releases. */
    public void sweep() {
        long now = System.nanoTime();
        for (LinkGroup group : groups.values()) {
            if (!group.peer().isAlive()) {
                dissolve(group);
            } else {
                group.sweep(now, lingerNanos);
            }
        }
        for (AttachedDmb dmb : attached.values()) {
            if (dmb.isIdle() && dmb.isAbandoned()) {
                dmb.retireIfIdle();
            }
        }
    }

    /**
     * Retires every idle DMB, own and attached, and every lent one once released. Call it when no connection is left;
     * afterwards leasing fails.
     */
    @Override
    public void close() {
        closed = true;
        for (LinkGroup group : groups.values()) {
            dissolve(group);
        }
        for (AttachedDmb dmb : attached.values()) {
            dmb.retireIfIdle();
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** The link groups that exist now. */
    public List<LinkGroup> groups() {
        return new ArrayList<>(groups.values());
    }

    /** Own DMBs that exist now, lent or idle, over all groups. */
    public int ownDmbs() {
        return ownDmbs.get();
    }

    /** Peer DMBs mapped now. */
    public int attachedDmbs() {
        return attached.size();
    }

    /** Own RMB leases served from a pool. */
    public long rmbsReused() {
        return rmbsReused.sum();
    }

    /** Own RMB leases that needed a new DMB. */
    public long rmbsCreated() {
        return rmbsCreated.sum();
    }

    /** Peer DMB leases of a DMB already mapped here. */
    public long peerDmbsReused() {
        return peerDmbsReused.sum();
    }

    /** Peer DMB leases that mapped a new DMB. */
    public long peerDmbsAttached() {
        return peerDmbsAttached.sum();
    }

    void dissolve(LinkGroup group) {
        groups.remove(group.peer(), group);
        group.dissolve();
    }

    void retired() {
        ownDmbs.decrementAndGet();
    }

    void forget(AttachedDmb dmb) {
        attached.remove(dmb.dmb().token(), dmb);
    }

    private DmbSegment register(int ringSize) throws SmcdException {
        if (ownDmbs.incrementAndGet() > maxDmbs) {
            ownDmbs.decrementAndGet();
            throw new SmcdException(SmcdReason.MAX_DMB, "this process holds its maximum of " + maxDmbs + " DMBs in "
                    + domain.directory());
        }
        try {
            return DmbSegment.register(domain, ringSize);
        } catch (SmcdException | RuntimeException e) {
            ownDmbs.decrementAndGet();
            throw e;
        }
    }

    private AttachedDmb attach(long token, int ringSize) throws SmcdException {
        synchronized (attachLock) {
            AttachedDmb dmb = attached.get(token);
            if (dmb == null) {
                dmb = new AttachedDmb(this, DmbSegment.attach(domain, token, ringSize));
                attached.put(token, dmb);
                peerDmbsAttached.increment();
                if (closed) {
                    dmb.retireIfIdle();
                    checkOpen();
                }
            }
            return dmb;
        }
    }

    private void checkOpen() throws SmcdException {
        if (closed) {
            throw new SmcdException(SmcdReason.INTERR, "link groups of " + domain.directory() + " are closed");
        }
    }

    private static int checkSize(int ringSize) {
        if (!DmbSize.isValidSize(ringSize)) {
            throw new IllegalArgumentException("ringSize=" + ringSize + " is not 16 KiB << n");
        }
        return ringSize;
    }

    @Override
    public String toString() {
        return "LinkGroups(" + domain.directory() + ", groups=" + groups.size() + ", own=" + ownDmbs.get()
                + ", attached=" + attached.size() + ")";
    }
}
