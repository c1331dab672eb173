package io.smcd.sim.handshake;

import io.smcd.sim.DmbSegment;
import io.smcd.sim.DmbSize;
import io.smcd.sim.Doorbell;
import io.smcd.sim.IsmDevice;
import io.smcd.sim.SmcdConnection;
import io.smcd.sim.SmcdException;
import io.smcd.sim.SmcdReason;
import io.smcd.sim.clc.ClcAcceptConfirm;
import io.smcd.sim.clc.ClcDecline;
import io.smcd.sim.clc.ClcDevice;
import io.smcd.sim.clc.ClcFormatException;
import io.smcd.sim.clc.ClcMessage;
import io.smcd.sim.clc.ClcProposal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The proposer side of smcd's CLC handshake as a non-blocking state machine: no I/O, no threads, no waiting. The
 * transport writes what each call returns ({@link ClcHandshakeStep#output()}) to the TCP socket and feeds what it
 * reads into {@link #onBytes}; it runs the timeout and calls {@link #fallBack} when it fires.
 *
 * <pre>
 *  start():  register one RMB, send Proposal(devices, EID, RMB token, size)     -> WAIT_ACCEPT
 *  Accept:   offered CHID and reachable GID, same EID, attach the acceptor's DMB,
 *            send Confirm(GID, RMB token, size, CHID, EID)                       -> SMCD
 *  Decline:                                                                      -> FALLBACK PEERDECL/peer's code
 *  malformed or unexpected message, or a check or the attach failing:
 *            send Decline(reason)                                                -> FALLBACK reason
 * </pre>
 *
 * <p>DMB files are device-independent (every device of a domain maps the same files), so the proposer registers a
 * single RMB, through its first device, and offers it with every device. Both DMBs are mapped and validated before
 * the Confirm, so nothing can fail after it: once the Confirm is written the proposer runs over SMC-D. On fallback
 * every DMB the handshake registered or attached is released; on success the {@link SmcdConnection} owns them.
 *
 * <p>Roles: in the kernel the TCP client proposes, because the SYN option already told it the server speaks
 * SMC. In smcd the TCP <em>server</em> proposes: it speaks first, and only after it has claimed the client's
 * intent in the endpoint registry, so a peer that is not smcd never sees a CLC byte.
 *
 * <p>Thread-safety: not thread-safe; one instance per connection, driven by one thread (its event loop).
 */
public final class ClcProposerHandshake {
    private enum State { INIT, WAIT_ACCEPT, DONE }

    private final List<IsmDevice> devices;
    private final int ringSize;
    private final int sizeCode;
    private final Doorbell peerDoorbell;
    private final String eid;

    private State state = State.INIT;
    private DmbSegment rmb;
    private ClcHandshakeStep outcome;

    /**
     * @param devices      1 to {@link ClcProposal#MAX_DEVICES} devices with distinct CHIDs, preferred first
     * @param ringSize     this side's receive ring, a valid {@link DmbSize}
     * @param peerDoorbell how the resulting connection wakes the acceptor (one byte on the TCP socket)
     */
    public ClcProposerHandshake(List<? extends IsmDevice> devices, int ringSize, Doorbell peerDoorbell) {
        this.devices = checkDevices(devices, ClcProposal.MAX_DEVICES);
        if (!DmbSize.isValidSize(ringSize)) {
            throw new IllegalArgumentException("ringSize=" + ringSize + " is not a DMB size");
        }
        if (peerDoorbell == null) {
            throw new IllegalArgumentException("peerDoorbell=null");
        }
        this.ringSize = ringSize;
        this.sizeCode = DmbSize.codeFor(ringSize);
        this.peerDoorbell = peerDoorbell;
        this.eid = SmcdEid.of(this.devices.get(0).localGid());
    }

    /**
     * Registers the RMB and returns the Proposal to send: {@link ClcHandshakeStep.Status#RUNNING}. If the RMB cannot
     * be registered, returns {@link ClcHandshakeStep.Status#FALLBACK} with a Decline (MEM or MAX_DMB) to send
     * instead, so that the acceptor, which waits for a CLC message, falls back too.
     *
     * @throws IllegalStateException if called twice
     */
    public ClcHandshakeStep start() {
        if (state != State.INIT) {
            throw new IllegalStateException("state=" + state + " expected=INIT");
        }
        IsmDevice first = devices.get(0);
        try {
            rmb = first.registerDmb(ringSize);
        } catch (SmcdException e) {
            return decline(e.reasonCode());
        }
        List<ClcDevice> offered = new ArrayList<>(devices.size());
        for (IsmDevice d : devices) {
            offered.add(new ClcDevice(d.localGid(), d.chid()));
        }
        ClcProposal proposal = new ClcProposal(first.localGid(), offered, List.of(eid), rmb.token(), sizeCode);
        state = State.WAIT_ACCEPT;
        return ClcHandshakeStep.running(ClcFraming.encode(proposal));
    }

    /**
     * Consumes whole CLC messages from {@code received} (from its position to its limit) and advances its position
     * past them. A partial message stays in the buffer for the next call, with the bytes that complete it appended;
     * bytes after the handshake's last message (doorbells, application data) are never consumed. Once the handshake
     * is done, consumes nothing and returns its outcome without output. A malformed message whose header frames it
     * is consumed; bytes whose header is not CLC at all are left in place, since their extent is unknown.
     *
     * @throws IllegalStateException before {@link #start()}
     */
    public ClcHandshakeStep onBytes(ByteBuffer received) {
        if (state == State.INIT) {
            throw new IllegalStateException("state=INIT: call start() first");
        }
        if (state == State.DONE) {
            return outcome.withoutOutput();
        }
        ClcMessage m;
        try {
            m = ClcFraming.next(received);
        } catch (ClcFormatException e) {
            return decline(e.reasonCode());
        }
        if (m == null) {
            return ClcHandshakeStep.running(null);
        }
        if (m instanceof ClcDecline d) {
            release();
            return finish(ClcHandshakeStep.fallback(null, SmcdReason.PEERDECL, d.peerDiagnosis()));
        }
        if (m instanceof ClcAcceptConfirm a && a.type() == ClcAcceptConfirm.ACCEPT) {
            return onAccept(a);
        }
        return decline(SmcdReason.SYNCERR);
    }

    /**
     * Gives up, e.g. when the transport's CLC timer fires: releases every DMB and returns
     * {@link ClcHandshakeStep.Status#FALLBACK} with a Decline({@code reason}) to send, which tells the acceptor (waiting
     * for a Proposal or a Confirm) to fall back too. Before {@link #start()} the Decline is still sent, since the
     * acceptor waits for a CLC message either way. Once the handshake is done, changes nothing and returns its outcome
     * without output.
     */
    public ClcHandshakeStep fallBack(int reason) {
        if (state == State.DONE) {
            return outcome.withoutOutput();
        }
        return decline(reason);
    }

    private ClcHandshakeStep onAccept(ClcAcceptConfirm accept) {
        IsmDevice device = null;
        for (IsmDevice d : devices) {
            if (d.chid() == accept.chid()) {
                device = d;
                break;
            }
        }
        if (device == null || !device.queryRemoteGid(accept.gid())) {
            return decline(SmcdReason.NOSMCD2DEV);
        }
        if (!eid.equals(accept.eid())) {
            return decline(SmcdReason.NOUEID);
        }
        DmbSegment peerDmb;
        try {
            peerDmb = device.attachDmb(accept.dmbToken(), DmbSize.sizeOf(accept.dmbSizeCode()));
        } catch (SmcdException e) {
            return decline(e.reasonCode());
        }
        IsmDevice rmbOwner = devices.get(0);
        IsmDevice connectionDevice = device == rmbOwner ? device : new RmbOwnerDevice(device, rmbOwner, rmb);
        SmcdConnection connection = new SmcdConnection(connectionDevice, rmb, peerDmb, peerDoorbell);
        rmb = null;
        ClcAcceptConfirm confirm = new ClcAcceptConfirm(ClcAcceptConfirm.CONFIRM, device.localGid(),
                connection.rmb().token(), sizeCode, accept.linkId(), device.chid(), eid, accept.firstContact());
        return finish(ClcHandshakeStep.smcd(ClcFraming.encode(confirm), connection, device));
    }

    /** Sends Decline({@code reason}), releases everything and falls back with {@code reason}. */
    private ClcHandshakeStep decline(int reason) {
        release();
        return finish(ClcHandshakeStep.fallback(ClcFraming.decline(reason), reason, SmcdReason.NONE));
    }

    private void release() {
        if (rmb != null) {
            DmbSegment r = rmb;
            rmb = null;
            devices.get(0).unregisterDmb(r);
        }
    }

    private ClcHandshakeStep finish(ClcHandshakeStep step) {
        state = State.DONE;
        outcome = step;
        return step;
    }

    static List<IsmDevice> checkDevices(List<? extends IsmDevice> devices, int max) {
        if (devices == null || devices.isEmpty() || devices.size() > max) {
            throw new IllegalArgumentException("devices.size=" + (devices == null ? "null" : devices.size())
                    + " not in [1, " + max + "]");
        }
        Set<Integer> chids = new HashSet<>();
        for (int i = 0; i < devices.size(); i++) {
            IsmDevice d = devices.get(i);
            if (d == null) {
                throw new IllegalArgumentException("devices[" + i + "]=null");
            }
            if (!chids.add(d.chid())) {
                throw new IllegalArgumentException("devices[" + i + "].chid=0x" + Integer.toHexString(d.chid())
                        + " is not unique");
            }
        }
        return List.copyOf(devices);
    }

    @Override
    public String toString() {
        return "ClcProposerHandshake(" + state + (outcome != null ? ", " + outcome : "") + ")";
    }
}
