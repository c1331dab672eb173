package io.smcd.sim.handshake;

import io.smcd.sim.DmbSize;
import io.smcd.sim.Doorbell;
import io.smcd.sim.IsmDevice;
import io.smcd.sim.ProcessIdentity;
import io.smcd.sim.SmcdConnection;
import io.smcd.sim.SmcdException;
import io.smcd.sim.SmcdReason;
import io.smcd.sim.clc.ClcProposal;
import io.smcd.sim.lgr.AttachedDmb;
import io.smcd.sim.lgr.LinkGroups;
import io.smcd.sim.lgr.OwnedDmb;
import io.smcd.sim.registry.IntentAnswer;
import io.smcd.sim.registry.IntentOffer;
import io.smcd.sim.registry.PendingIntent;
import java.util.ArrayList;
import java.util.List;

/**
 * A connection that joins the link group of its two processes without any CLC message: the client offers, in its
 * intent, an RMB that the server has mapped already; the server leases it and one of its own RMBs that the client has
 * mapped, and answers in the intent's slot; both then run SMC-D. It applies whenever the pair has talked before and has
 * idle DMBs, which is every connection of a churning client after its first few; anything else (no offer, a DMB busy or
 * retired, no common device) leaves the connection to the CLC handshake ({@link ClcProposerHandshake}), whose first
 * contact maps what is new. The proof of shared memory that CLC gives a first contact holds here already: both DMBs were
 * mapped and validated by both sides before.
 *
 * <p>Stateless and thread-safe; a {@link Offer} or {@link Lease} belongs to the thread of its connection.
 */
public final class LinkGroupJoin {
    private LinkGroupJoin() {
    }

    /**
     * The client's offer for an intent to {@code server}: an idle RMB of the link group that the server has mapped
     * already, with the client's devices; or {@link IntentOffer#NONE} (and no lease) when the group has none.
     */
    public static Offer offer(LinkGroups linkGroups, ProcessIdentity server, List<? extends IsmDevice> devices,
            int ringSize) throws SmcdException {
        OwnedDmb rmb = linkGroups.leaseIdleRmb(server, ringSize);
        if (rmb == null) {
            return new Offer(IntentOffer.NONE, null);
        }
        if (!rmb.isKnownToPeer()) {
            rmb.releaseUnused();
            return new Offer(IntentOffer.NONE, null);
        }
        List<Integer> chids = new ArrayList<>(devices.size());
        for (IsmDevice d : devices) {
            chids.add(d.chid());
        }
        return new Offer(new IntentOffer(rmb.dmb().token(), ClcProposal.wireGeneration(rmb.generation()),
                DmbSize.codeFor(ringSize), chids), rmb);
    }

    /**
     * The server's side: leases the client's offered RMB and one of its own the client has mapped, on the first of the
     * server's {@code devices} that the client offered too. Null when the intent cannot join (the caller claims it for
     * CLC then); otherwise the leases, which the caller turns into a connection once its claim succeeded, or abandons.
     */
    public static Lease serve(PendingIntent intent, List<? extends IsmDevice> devices, LinkGroups linkGroups,
            int ringSize) {
        IntentOffer offer = intent.offer();
        IsmDevice device = null;
        for (IsmDevice d : devices) {
            if (offer.chids().contains(d.chid())) {
                device = d;
                break;
            }
        }
        if (!offer.hasRmb() || device == null) {
            return null;
        }
        AttachedDmb peerDmb;
        try {
            peerDmb = linkGroups.leasePeerDmb(offer.rmbToken(), offer.rmbGeneration(),
                    DmbSize.sizeOf(offer.rmbSizeCode()), intent.client(), false);
        } catch (SmcdException | IllegalArgumentException e) {
            return null;
        }
        OwnedDmb rmb;
        try {
            rmb = linkGroups.leaseIdleRmb(intent.client(), ringSize);
        } catch (SmcdException e) {
            rmb = null;
        }
        if (rmb == null || !rmb.isKnownToPeer()) {
            if (rmb != null) {
                rmb.releaseUnused();
            }
            peerDmb.release();
            return null;
        }
        return new Lease(device, rmb, peerDmb, new IntentAnswer(rmb.dmb().token(),
                ClcProposal.wireGeneration(rmb.generation()), DmbSize.codeFor(ringSize), device.chid()));
    }

    /**
     * The client's side once the server answered: leases the server's RMB the answer names and builds the connection,
     * which owns {@code offered}'s RMB from then on: {@link ClcHandshakeStep.Status#SMCD}. If the answer names a device
     * not offered, or a DMB that is not mapped here, busy or of another lease: {@link ClcHandshakeStep.Status#FAILED},
     * since the server runs SMC-D already and the connection must be aborted (the offered RMB is released as possibly
     * written).
     */
    public static ClcHandshakeStep join(IntentAnswer answer, Offer offered, List<? extends IsmDevice> devices,
            LinkGroups linkGroups, ProcessIdentity server, Doorbell serverDoorbell) {
        OwnedDmb rmb = offered.rmb();
        if (rmb == null) {
            throw new IllegalStateException("no RMB was offered, so no answer can join");
        }
        try {
            IsmDevice device = devices.stream().filter(d -> d.chid() == answer.chid()).findFirst()
                    .orElseThrow(() -> new SmcdException(SmcdReason.SYNCERR, "the server chose CHID 0x"
                            + Integer.toHexString(answer.chid()) + ", which was not offered"));
            AttachedDmb peerDmb = linkGroups.leasePeerDmb(answer.rmbToken(), answer.rmbGeneration(),
                    DmbSize.sizeOf(answer.rmbSizeCode()), server, false);
            return ClcHandshakeStep.smcd(null, new SmcdConnection(device, rmb, peerDmb, linkGroups.sndbufs(),
                    serverDoorbell), device);
        } catch (SmcdException e) {
            rmb.release();
            return ClcHandshakeStep.failed(e);
        }
    }

    /**
     * What a client offered, with the lease of the offered RMB (null for {@link IntentOffer#NONE}); it holds the lease
     * until {@link #join} takes it over or {@link #withdraw()} gives it back.
     *
     * @param intent the offer as the intent carries it
     * @param rmb    the offered RMB's lease, or null
     */
    public record Offer(IntentOffer intent, OwnedDmb rmb) {
        /** Gives the offered RMB back: the server never joined, so it never wrote into it. */
        public void withdraw() {
            if (rmb != null) {
                rmb.releaseUnused();
            }
        }
    }

    /** The server's leases for a join, and the answer that names them; see {@link LinkGroupJoin#serve}. */
    public static final class Lease {
        private final IsmDevice device;
        private final OwnedDmb rmb;
        private final AttachedDmb peerDmb;
        private final IntentAnswer answer;

        private Lease(IsmDevice device, OwnedDmb rmb, AttachedDmb peerDmb, IntentAnswer answer) {
            this.device = device;
            this.rmb = rmb;
            this.peerDmb = peerDmb;
            this.answer = answer;
        }

        /** The answer to write into the intent's slot with the claim. */
        public IntentAnswer answer() {
            return answer;
        }

        /** The device of the connection. */
        public IsmDevice device() {
            return device;
        }

        /** The connection, after the claim succeeded; it owns both leases. */
        public SmcdConnection connect(LinkGroups linkGroups, Doorbell clientDoorbell) {
            return new SmcdConnection(device, rmb, peerDmb, linkGroups.sndbufs(), clientDoorbell);
        }

        /** Gives both DMBs back after a lost claim: the client withdrew, so neither side wrote into them. */
        public void abandon() {
            peerDmb.release();
            rmb.releaseUnused();
        }
    }
}
