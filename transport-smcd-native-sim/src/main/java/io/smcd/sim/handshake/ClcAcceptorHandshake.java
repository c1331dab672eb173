package io.smcd.sim.handshake;

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
import io.smcd.sim.lgr.AttachedDmb;
import io.smcd.sim.lgr.LinkGroups;
import io.smcd.sim.lgr.OwnedDmb;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The acceptor side of smcd's CLC handshake as a non-blocking state machine: no I/O, no threads, no waiting. The
 * transport writes what each call returns ({@link ClcHandshakeStep#output()}) to the TCP socket and feeds what it
 * reads into {@link #onBytes}; it runs the timeout and calls {@link #fallBack} when it fires.
 *
 * <pre>
 *  start():   nothing to send                                                   -> WAIT_PROPOSAL
 *  Proposal:  first proposed device with a local device of equal CHID and a reachable GID (else NOSMCD2DEV),
 *             the local EID among the proposed ones (else NOUEID), lease the proposer's DMB (mapping it if it is
 *             new here), lease an RMB from the link group with the proposer's process, send
 *             Accept(GID, RMB token, size, generation, CHID, EID, link id, first contact):
 *               the RMB is new to the proposer (first contact)                   -> WAIT_CONFIRM
 *               the proposer maps it already                                     -> SMCD
 *  Confirm:   token, size, generation, CHID, GID, EID and link id as proposed and chosen  -> SMCD
 *  Decline:                                                                      -> FALLBACK PEERDECL/peer's code
 *  WAIT_PROPOSAL, malformed or unexpected message, or a failure: send Decline   -> FALLBACK reason
 *  WAIT_CONFIRM, anything but a matching Confirm or a Decline, or fallBack():    -> FAILED
 * </pre>
 *
 * <p><b>First contact.</b> The proposer must map an RMB it has not seen before and may fail to, so such an Accept waits
 * for the Confirm (or a Decline, after which both sides fall back). An RMB the proposer confirmed once is mapped there
 * for good, so every later connection of the link group that reuses it is up after two messages.
 *
 * <p><b>Why FAILED.</b> The proposer starts SMC-D as soon as it has written its Confirm, so after a first-contact Accept
 * the acceptor can no longer fall back safely: a Decline would reach a proposer that reads doorbells, not CLC, and
 * anything the proposer sends next is SMC-D traffic. A bad Confirm, a malformed message or a timeout in that state
 * therefore fails the handshake: the acceptor publishes {@code peerConnAbort} into the proposer's RMB (so the
 * proposer's connection fails like a reset), releases both leases, and the transport must abort the TCP connection.
 *
 * <p>On fallback or failure every lease the handshake took is released; on success the {@link SmcdConnection} owns
 * them.
 *
 * <p>Thread-safety: not thread-safe; one instance per connection, driven by one thread (its event loop).
 */
public final class ClcAcceptorHandshake {
    private enum State { INIT, WAIT_PROPOSAL, WAIT_CONFIRM, DONE }

    private final List<IsmDevice> devices;
    private final LinkGroups linkGroups;
    private final int ringSize;
    private final int sizeCode;
    private final Doorbell peerDoorbell;

    private State state = State.INIT;
    private ClcProposal proposal;
    private ClcDevice proposed;
    private IsmDevice device;
    private String eid;
    private AttachedDmb peerDmb;
    private OwnedDmb rmb;
    private ClcHandshakeStep outcome;

    /**
     * @param devices      the local devices, at least one, with distinct CHIDs; the proposer's preference decides
     * @param linkGroups   where this side's RMB and the proposer's DMB are leased
     * @param ringSize     this side's receive ring, a valid {@link DmbSize}
     * @param peerDoorbell how the resulting connection wakes the proposer (one byte on the TCP socket)
     */
    public ClcAcceptorHandshake(List<? extends IsmDevice> devices, LinkGroups linkGroups, int ringSize,
            Doorbell peerDoorbell) {
        this.devices = ClcProposerHandshake.checkDevices(devices, Integer.MAX_VALUE);
        if (!DmbSize.isValidSize(ringSize)) {
            throw new IllegalArgumentException("ringSize=" + ringSize + " is not a DMB size");
        }
        if (linkGroups == null || peerDoorbell == null) {
            throw new IllegalArgumentException("linkGroups=" + linkGroups + " peerDoorbell=" + peerDoorbell
                    + " must not be null");
        }
        this.linkGroups = linkGroups;
        this.ringSize = ringSize;
        this.sizeCode = DmbSize.codeFor(ringSize);
        this.peerDoorbell = peerDoorbell;
    }

    /**
     * Starts waiting for the Proposal: {@link ClcHandshakeStep.Status#RUNNING} with nothing to send.
     *
     * @throws IllegalStateException if called twice
     */
    public ClcHandshakeStep start() {
        if (state != State.INIT) {
            throw new IllegalStateException("state=" + state + " expected=INIT");
        }
        state = State.WAIT_PROPOSAL;
        return ClcHandshakeStep.running(null);
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
        ByteBuffer output = null;
        while (state != State.DONE) {
            ClcMessage m;
            try {
                m = ClcFraming.next(received);
            } catch (ClcFormatException e) {
                return state == State.WAIT_PROPOSAL ? decline(e.reasonCode())
                        : fail(new SmcdException(e.reasonCode(), "malformed CLC message after Accept", e));
            }
            if (m == null) {
                return ClcHandshakeStep.running(output);
            }
            if (m instanceof ClcDecline d) {
                release();
                return finish(ClcHandshakeStep.fallback(null, SmcdReason.PEERDECL, d.peerDiagnosis()));
            }
            if (state == State.WAIT_PROPOSAL) {
                if (!(m instanceof ClcProposal p)) {
                    return decline(SmcdReason.SYNCERR);
                }
                ClcHandshakeStep step = onProposal(p);
                if (step.isDone()) {
                    return step;
                }
                // A Confirm cannot be here yet (it answers the Accept), but framing stays message by message.
                output = step.output();
            } else if (m instanceof ClcAcceptConfirm c && c.type() == ClcAcceptConfirm.CONFIRM) {
                return onConfirm(c);
            } else {
                return fail(new SmcdException(SmcdReason.SYNCERR, "expected Confirm or Decline after Accept, got type="
                        + m.type()));
            }
        }
        return outcome.withoutOutput();
    }

    /**
     * Gives up, e.g. when the transport's CLC timer fires, and releases every DMB. Before the Accept was sent this
     * is {@link ClcHandshakeStep.Status#FALLBACK} with a Decline({@code reason}) to send; after it, the proposer may
     * already run over SMC-D, so it is {@link ClcHandshakeStep.Status#FAILED} (see the class comment) with nothing to
     * send. Once the handshake is done, changes nothing and returns its outcome without output.
     */
    public ClcHandshakeStep fallBack(int reason) {
        switch (state) {
            case DONE:
                return outcome.withoutOutput();
            case WAIT_CONFIRM:
                return fail(new SmcdException(reason, "CLC handshake abandoned after Accept"));
            default:
                return decline(reason);
        }
    }

    private ClcHandshakeStep onProposal(ClcProposal p) {
        IsmDevice chosen = null;
        ClcDevice chosenProposed = null;
        for (ClcDevice pd : p.devices()) {
            for (IsmDevice d : devices) {
                if (d.chid() == pd.chid() && d.queryRemoteGid(pd.gid())) {
                    chosen = d;
                    chosenProposed = pd;
                    break;
                }
            }
            if (chosen != null) {
                break;
            }
        }
        if (chosen == null) {
            return decline(SmcdReason.NOSMCD2DEV);
        }
        String localEid = SmcdEid.of(chosen.localGid());
        if (!p.eids().contains(localEid)) {
            return decline(SmcdReason.NOUEID);
        }
        device = chosen;
        try {
            peerDmb = linkGroups.leasePeerDmb(p.dmbToken(), p.dmbGeneration(), DmbSize.sizeOf(p.dmbSizeCode()), null,
                    true);
            rmb = linkGroups.leaseRmb(peerDmb.owner(), ringSize);
        } catch (SmcdException e) {
            return decline(e.reasonCode());
        }
        proposal = p;
        proposed = chosenProposed;
        eid = localEid;
        boolean firstContact = !rmb.isKnownToPeer();
        ClcAcceptConfirm accept = new ClcAcceptConfirm(ClcAcceptConfirm.ACCEPT, chosen.localGid(), rmb.dmb().token(),
                sizeCode, ClcProposal.wireGeneration(rmb.generation()), rmb.group().linkId(), chosen.chid(), localEid,
                firstContact);
        ByteBuffer output = ClcFraming.encode(accept);
        if (firstContact) {
            state = State.WAIT_CONFIRM;
            return ClcHandshakeStep.running(output);
        }
        return finish(ClcHandshakeStep.smcd(output, connect(), device));
    }

    private ClcHandshakeStep onConfirm(ClcAcceptConfirm c) {
        String mismatch = null;
        if (c.dmbToken() != proposal.dmbToken()) {
            mismatch = "token=" + Long.toHexString(c.dmbToken()) + " proposed=" + Long.toHexString(proposal.dmbToken());
        } else if (c.dmbGeneration() != proposal.dmbGeneration()) {
            mismatch = "dmbGeneration=" + c.dmbGeneration() + " proposed=" + proposal.dmbGeneration();
        } else if (c.dmbSizeCode() != proposal.dmbSizeCode()) {
            mismatch = "dmbSizeCode=" + c.dmbSizeCode() + " proposed=" + proposal.dmbSizeCode();
        } else if (c.chid() != device.chid()) {
            mismatch = "chid=0x" + Integer.toHexString(c.chid()) + " accepted=0x" + Integer.toHexString(device.chid());
        } else if (!c.gid().equals(proposed.gid())) {
            mismatch = "gid=" + c.gid() + " proposed=" + proposed.gid();
        } else if (!c.eid().equals(eid)) {
            mismatch = "eid=" + c.eid() + " accepted=" + eid;
        } else if (c.linkId() != rmb.group().linkId()) {
            mismatch = "linkId=0x" + Integer.toHexString(c.linkId()) + " accepted=0x"
                    + Integer.toHexString(rmb.group().linkId());
        }
        if (mismatch != null) {
            return fail(new SmcdException(SmcdReason.SYNCERR, "Confirm does not match the handshake: " + mismatch));
        }
        rmb.markKnownToPeer();
        return finish(ClcHandshakeStep.smcd(null, connect(), device));
    }

    /** The connection over both leases, which it owns from now on. */
    private SmcdConnection connect() {
        SmcdConnection connection = new SmcdConnection(device, rmb, peerDmb, linkGroups.sndbufs(), peerDoorbell);
        rmb = null;
        peerDmb = null;
        return connection;
    }

    /** Sends Decline({@code reason}), releases everything and falls back with {@code reason}. */
    private ClcHandshakeStep decline(int reason) {
        release();
        return finish(ClcHandshakeStep.fallback(ClcFraming.decline(reason), reason, SmcdReason.NONE));
    }

    /**
     * Aborts after a first-contact Accept: tells the proposer through its RMB, releases both leases (the RMB as possibly
     * used: the proposer may have started), no bytes to send.
     */
    private ClcHandshakeStep fail(SmcdException failure) {
        if (rmb != null && peerDmb != null) {
            connect().abort();
        }
        release();
        return finish(ClcHandshakeStep.failed(failure));
    }

    /** Releases what the handshake holds; the proposer never wrote into the RMB, as it declined or never got there. */
    private void release() {
        if (peerDmb != null) {
            AttachedDmb p = peerDmb;
            peerDmb = null;
            p.release();
        }
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

    @Override
    public String toString() {
        return "ClcAcceptorHandshake(" + state + (outcome != null ? ", " + outcome : "") + ")";
    }
}
