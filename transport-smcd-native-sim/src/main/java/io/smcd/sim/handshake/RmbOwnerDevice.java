package io.smcd.sim.handshake;

import io.smcd.sim.DmbSegment;
import io.smcd.sim.Doorbell;
import io.smcd.sim.Gid;
import io.smcd.sim.IsmDevice;
import io.smcd.sim.SmcdException;
import java.nio.ByteBuffer;

/**
 * The device a proposer's {@link io.smcd.sim.SmcdConnection} runs on when the acceptor chose a device other than the
 * one that registered the proposer's RMB (the proposer registers one RMB, through its first device, before it knows the
 * choice). It is the chosen device in every respect except that the RMB is unregistered through the device that
 * registered it, so that each device's DMB count (and limit) stays right. Thread-safe as its delegates are.
 */
final class RmbOwnerDevice implements IsmDevice {
    private final IsmDevice chosen;
    private final IsmDevice rmbOwner;
    private final DmbSegment rmb;

    RmbOwnerDevice(IsmDevice chosen, IsmDevice rmbOwner, DmbSegment rmb) {
        this.chosen = chosen;
        this.rmbOwner = rmbOwner;
        this.rmb = rmb;
    }

    @Override
    public String name() {
        return chosen.name();
    }

    @Override
    public int chid() {
        return chosen.chid();
    }

    @Override
    public Gid localGid() {
        return chosen.localGid();
    }

    @Override
    public boolean queryRemoteGid(Gid remoteGid) {
        return chosen.queryRemoteGid(remoteGid);
    }

    @Override
    public boolean supportsNocopy() {
        return chosen.supportsNocopy();
    }

    @Override
    public DmbSegment registerDmb(int ringSize) throws SmcdException {
        return chosen.registerDmb(ringSize);
    }

    @Override
    public void unregisterDmb(DmbSegment dmb) {
        (dmb == rmb ? rmbOwner : chosen).unregisterDmb(dmb);
    }

    @Override
    public DmbSegment attachDmb(long token, int ringSize) throws SmcdException {
        return chosen.attachDmb(token, ringSize);
    }

    @Override
    public void detachDmb(DmbSegment dmb) {
        chosen.detachDmb(dmb);
    }

    @Override
    public void moveData(DmbSegment peerDmb, int ringOffset, ByteBuffer src, int srcIndex, int length) {
        chosen.moveData(peerDmb, ringOffset, src, srcIndex, length);
    }

    @Override
    public void signal(Doorbell doorbell) {
        chosen.signal(doorbell);
    }

    @Override
    public String toString() {
        return chosen.toString();
    }
}
