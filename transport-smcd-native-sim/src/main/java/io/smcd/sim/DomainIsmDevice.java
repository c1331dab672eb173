package io.smcd.sim;

import java.nio.ByteBuffer;

/** What both simulated devices share: the GID is their domain's, and data moves by a plain copy into the mapping. */
abstract class DomainIsmDevice implements IsmDevice {
    private final SmcdDomain domain;

    DomainIsmDevice(SmcdDomain domain) {
        this.domain = domain;
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

    @Override
    public String toString() {
        return name() + "(chid=0x" + Integer.toHexString(chid()) + ", gid=" + localGid() + ")";
    }
}
