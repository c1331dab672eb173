package io.smcd.sim.handshake;

import io.smcd.sim.DmbSize;
import io.smcd.sim.Doorbell;
import io.smcd.sim.IsmDevice;
import io.smcd.sim.ProcessIdentity;
import io.smcd.sim.SmcdConnection;
import io.smcd.sim.SmcdException;
import io.smcd.sim.SmcdReason;
import io.smcd.sim.clc.ClcAcceptConfirm;
import io.smcd.sim.clc.ClcDecline;
import io.smcd.sim.clc.ClcDevice;
import io.smcd.sim.clc.ClcFormatException;
import io.smcd.sim.clc.ClcMessage;
import io.smcd.sim.clc.ClcProposal;
import io.smcd.sim.lgr.AttachedDmb;
import io.smcd.sim.lgr.LinkGroups;
import io.smcd.sim.lgr.OwnedDmb;
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
 *  start():  lease an RMB from the link group with the peer, send Proposal(devices, EID, RMB token, size,
 *            generation)                                                        -> WAIT_ACCEPT
 *  Accept:   offered CHID and reachable GID, same EID, lease the acceptor's DMB:
 *              first contact (the DMB is new here): attach it, send Confirm     -> SMCD
 *              otherwise (mapped here already):      nothing to send            -> SMCD
 *  Decline:                                                                      -> FALLBACK PEERDECL/peer's code
 *  a check failing on a first-contact Accept: send Decline(reason)               -> FALLBACK reason
 *  anything else (malformed or unexpected message, a check failing without first contact, fallBack()) -> FAILED
 * </pre>
 *
 * <p><b>Why FAILED.</b> An acceptor whose DMB this side already maps runs over SMC-D as soon as it has written its
 * Accept, without waiting for a Confirm: that saves the third message on every connection of a link group but its
 * first. So once the Proposal is out, only a Decline from the acceptor (it declined, so it never runs SMC-D) or a
 * first-contact Accept (the acceptor waits for Confirm or Decline) lets this side fall back; in every other case the
 * acceptor may already write into this side's RMB, and the transport must abort the connection. The RMB is then
 * released as possibly used, so the link group lends it again only after the acceptor's close flag (or its death).
 *
 * <p>Roles: in the kernel the TCP client proposes, because the SYN option already told it the server speaks SMC. In
 * smcd the TCP <em>server</em> proposes: it speaks first, and only after it has claimed the client's intent in the
 * endpoint registry, so a peer that is not smcd never sees a CLC byte. The intent names the client process, which is
 * how the server finds the link group to lease from before it has heard from the client.
 *
 * <p>Thread-safety: not thread-safe; one instance per connection, driven by one thread (its event loop).
 */
public final class ClcProposerHandshake {
    private enum State { INIT, WAIT_ACCEPT, DONE }

    private final List<IsmDevice> devices;
    private final LinkGroups linkGroups;
    private final ProcessIdentity peer;
    private final int ringSize;
    private final int sizeCode;
    private final Doorbell peerDoorbell;
    private final String eid;

    private State state = State.INIT;
    private OwnedDmb rmb;
    private ClcHandshakeStep outcome;

    /**
     * @param devices      1 to {@link ClcProposal#MAX_DEVICES} devices with distinct CHIDs, preferred first
     * @param linkGroups   where this side's RMB and the acceptor's DMB are leased
     * @param peer         the acceptor's process, from its claimed intent
     * @param ringSize     this side's receive ring, a valid {@link DmbSize}
     * @param peerDoorbell how the resulting connection wakes the acceptor (one byte on the TCP socket)
     */
    public ClcProposerHandshake(List<? extends IsmDevice> devices, LinkGroups linkGroups, ProcessIdentity peer,
            int ringSize, Doorbell peerDoorbell) {
        this.devices = checkDevices(devices, ClcProposal.MAX_DEVICES);
        if (linkGroups == null || peer == null || peerDoorbell == null) {
            throw new IllegalArgumentException("linkGroups=" + linkGroups + " peer=" + peer + " peerDoorbell="
                    + peerDoorbell + " must not be null");
        }
        if (!DmbSize.isValidSize(ringSize)) {
            throw new IllegalArgumentException("ringSize=" + ringSize + " is not a DMB size");
        }
        this.linkGroups = linkGroups;
        this.peer = peer;
        this.ringSize = ringSize;
        this.sizeCode = DmbSize.codeFor(ringSize);
        this.peerDoorbell = peerDoorbell;
        this.eid = SmcdEid.of(this.devices.get(0).localGid());
    }

    /**
     * Leases the RMB and returns the Proposal to send: {@link ClcHandshakeStep.Status#RUNNING}. If no RMB can be leased,
     * returns {@link ClcHandshakeStep.Status#FALLBACK} with a Decline (MEM or MAX_DMB) to send instead, so that the
     * acceptor, which waits for a CLC message, falls back too.
     *
     * @throws IllegalStateException if called twice
     */
    public ClcHandshakeStep start() {
        if (state != State.INIT) {
            throw new IllegalStateException("state=" + state + " expected=INIT");
        }
        try {
            rmb = linkGroups.leaseRmb(peer, ringSize);
        } catch (SmcdException e) {
            return decline(e.reasonCode());
        }
        List<ClcDevice> offered = new ArrayList<>(devices.size());
        for (IsmDevice d : devices) {
            offered.add(new ClcDevice(d.localGid(), d.chid()));
        }
        ClcProposal proposal = new ClcProposal(devices.get(0).localGid(), offered, List.of(eid), rmb.dmb().token(),
                sizeCode, ClcProposal.wireGeneration(rmb.generation()));
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
            return fail(new SmcdException(e.reasonCode(), "malformed CLC message after the Proposal", e));
        }
        if (m == null) {
            return ClcHandshakeStep.running(null);
        }
        if (m instanceof ClcDecline d) {
            releaseUnused();
            return finish(ClcHandshakeStep.fallback(null, SmcdReason.PEERDECL, d.peerDiagnosis()));
        }
        if (m instanceof ClcAcceptConfirm a && a.type() == ClcAcceptConfirm.ACCEPT) {
            return onAccept(a);
        }
        return fail(new SmcdException(SmcdReason.SYNCERR, "expected Accept or Decline after the Proposal, got type="
                + m.type()));
    }

    /**
     * Gives up, e.g. when the transport's CLC timer fires. Before {@link #start()} this is
     * {@link ClcHandshakeStep.Status#FALLBACK} with a Decline({@code reason}) to send, since the acceptor waits for a CLC
     * message either way; after it, the acceptor may already run over SMC-D, so it is
     * {@link ClcHandshakeStep.Status#FAILED} (see the class comment). Once the handshake is done, changes nothing and
     * returns its outcome without output.
     */
    public ClcHandshakeStep fallBack(int reason) {
        switch (state) {
            case DONE:
                return outcome.withoutOutput();
            case WAIT_ACCEPT:
                return fail(new SmcdException(reason, "CLC handshake abandoned after the Proposal"));
            default:
                return decline(reason);
        }
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
            return refuse(accept, new SmcdException(SmcdReason.NOSMCD2DEV, "Accept chose CHID 0x"
                    + Integer.toHexString(accept.chid()) + " GID " + accept.gid() + ", not an offered device"));
        }
        if (!eid.equals(accept.eid())) {
            return refuse(accept, new SmcdException(SmcdReason.NOUEID, "Accept chose EID " + accept.eid()
                    + ", not the offered " + eid));
        }
        AttachedDmb peerDmb;
        try {
            peerDmb = linkGroups.leasePeerDmb(accept.dmbToken(), accept.dmbGeneration(),
                    DmbSize.sizeOf(accept.dmbSizeCode()), peer, accept.firstContact());
        } catch (SmcdException e) {
            return refuse(accept, e);
        }
        rmb.markKnownToPeer();
        SmcdConnection connection = new SmcdConnection(device, rmb, peerDmb, linkGroups.sndbufs(), peerDoorbell);
        ClcAcceptConfirm confirm = !accept.firstContact() ? null : new ClcAcceptConfirm(ClcAcceptConfirm.CONFIRM,
                device.localGid(), rmb.dmb().token(), sizeCode, ClcProposal.wireGeneration(rmb.generation()), accept.linkId(), device.chid(),
                eid, true);
        rmb = null;
        return finish(ClcHandshakeStep.smcd(confirm == null ? null : ClcFraming.encode(confirm), connection, device));
    }

    /** A check on the Accept failed: a first-contact acceptor waits for the answer, any other may already run. */
    private ClcHandshakeStep refuse(ClcAcceptConfirm accept, SmcdException why) {
        return accept.firstContact() ? decline(why.reasonCode()) : fail(why);
    }

    /** Sends Decline({@code reason}): the acceptor never writes into the RMB, which can be lent again at once. */
    private ClcHandshakeStep decline(int reason) {
        releaseUnused();
        return finish(ClcHandshakeStep.fallback(ClcFraming.decline(reason), reason, SmcdReason.NONE));
    }

    /** The connection must be aborted; the acceptor may have written into the RMB, which waits for its close flag. */
    private ClcHandshakeStep fail(SmcdException failure) {
        if (rmb != null) {
            OwnedDmb r = rmb;
            rmb = null;
            r.release();
        }
        return finish(ClcHandshakeStep.failed(failure));
    }

    private void releaseUnused() {
        if (rmb != null) {
            OwnedDmb r = rmb;
            rmb = null;
            r.releaseUnused();
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
