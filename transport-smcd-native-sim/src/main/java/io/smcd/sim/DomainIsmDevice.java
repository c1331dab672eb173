package io.smcd.sim;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What both simulated devices share: DMBs are files of one {@link SmcdDomain}, the GID is the domain's,
 * and a device holds at most a fixed number of registered DMBs (loopback-ism's limit is 5000).
 */
abstract class DomainIsmDevice implements IsmDevice {
    private final SmcdDomain domain;
    private final int maxDmbs;
    private final AtomicInteger registeredDmbs = new AtomicInteger();

    DomainIsmDevice(SmcdDomain domain, int maxDmbs) {
        if (maxDmbs <= 0) {
            throw new IllegalArgumentException("maxDmbs=" + maxDmbs);
        }
        this.domain = domain;
        this.maxDmbs = maxDmbs;
    }

    @Override
    public final Gid localGid() {
        return domain.gid();
    }

    @Override
    public final boolean queryRemoteGid(Gid remoteGid) {
        return domain.gid().equals(remoteGid);
    }

    @Override
    public final DmbSegment registerDmb(int ringSize) throws SmcdException {
        if (registeredDmbs.incrementAndGet() > maxDmbs) {
            registeredDmbs.decrementAndGet();
            throw new SmcdException(SmcdReason.MAX_DMB, name() + " holds its maximum of " + maxDmbs + " DMBs");
        }
        try {
            return DmbSegment.register(domain, ringSize);
        } catch (SmcdException | RuntimeException e) {
            registeredDmbs.decrementAndGet();
            throw e;
        }
    }

    @Override
    public final void unregisterDmb(DmbSegment dmb) {
        if (!dmb.isRegistered()) {
            throw new IllegalArgumentException("dmb=" + dmb + " was attached, not registered");
        }
        if (dmb.release()) {
            registeredDmbs.decrementAndGet();
        }
    }

    @Override
    public final DmbSegment attachDmb(long token, int ringSize) throws SmcdException {
        return DmbSegment.attach(domain, token, ringSize);
    }

    @Override
    public final void detachDmb(DmbSegment dmb) {
        if (dmb.isRegistered()) {
            throw new IllegalArgumentException("dmb=" + dmb + " was registered, not attached");
        }
        dmb.close();
    }

    @Override
    public final void moveData(DmbSegment peerDmb, int ringOffset, ByteBuffer src, int srcIndex, int length) {
        if (ringOffset < 0 || length < 0 || ringOffset + length > peerDmb.ringSize()) {
            throw new IllegalArgumentException("ringOffset=" + ringOffset + " length=" + length + " ringSize=" + peerDmb.ringSize());
        }
        peerDmb.buffer().put(DmbDescriptor.RING_OFFSET + ringOffset, src, srcIndex, length);
    }

    @Override
    public final void signal(Doorbell doorbell) {
        doorbell.ring();
    }

    /** Registered DMBs currently held, for leak checks and the stats tool. */
    final int registeredDmbs() {
        return registeredDmbs.get();
    }

    @Override
    public String toString() {
        return name() + "(chid=0x" + Integer.toHexString(chid()) + ", gid=" + localGid() + ")";
    }
}
