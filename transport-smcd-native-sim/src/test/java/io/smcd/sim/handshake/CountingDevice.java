package io.smcd.sim.handshake;

import io.smcd.sim.DmbSegment;
import io.smcd.sim.Doorbell;
import io.smcd.sim.Gid;
import io.smcd.sim.IsmDevice;
import io.smcd.sim.SmcdException;
import java.nio.ByteBuffer;

/** A device that counts the DMBs it holds, registered and attached, so tests can check that nothing leaks. */
final class CountingDevice implements IsmDevice {
    private final IsmDevice delegate;
    int registered;
    int attached;

    CountingDevice(IsmDevice delegate) {
        this.delegate = delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public int chid() {
        return delegate.chid();
    }

    @Override
    public Gid localGid() {
        return delegate.localGid();
    }

    @Override
    public boolean queryRemoteGid(Gid remoteGid) {
        return delegate.queryRemoteGid(remoteGid);
    }

    @Override
    public boolean supportsNocopy() {
        return delegate.supportsNocopy();
    }

    @Override
    public DmbSegment registerDmb(int ringSize) throws SmcdException {
        DmbSegment dmb = delegate.registerDmb(ringSize);
        registered++;
        return dmb;
    }

    @Override
    public void unregisterDmb(DmbSegment dmb) {
        delegate.unregisterDmb(dmb);
        registered--;
    }

    @Override
    public DmbSegment attachDmb(long token, int ringSize) throws SmcdException {
        DmbSegment dmb = delegate.attachDmb(token, ringSize);
        attached++;
        return dmb;
    }

    @Override
    public void detachDmb(DmbSegment dmb) {
        delegate.detachDmb(dmb);
        attached--;
    }

    @Override
    public void moveData(DmbSegment peerDmb, int ringOffset, ByteBuffer src, int srcIndex, int length) {
        delegate.moveData(peerDmb, ringOffset, src, srcIndex, length);
    }

    @Override
    public void signal(Doorbell doorbell) {
        delegate.signal(doorbell);
    }

    /** DMBs held now, registered plus attached. */
    int held() {
        return registered + attached;
    }

    @Override
    public String toString() {
        return delegate + "[registered=" + registered + ", attached=" + attached + "]";
    }
}
