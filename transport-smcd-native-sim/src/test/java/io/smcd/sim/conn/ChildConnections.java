package io.smcd.sim.conn;

import io.smcd.sim.IsmDevice;
import io.smcd.sim.ProcessIdentity;
import io.smcd.sim.SmcdConnection;
import io.smcd.sim.clc.ClcProposal;
import io.smcd.sim.lgr.AttachedDmb;
import io.smcd.sim.lgr.LinkGroups;
import io.smcd.sim.lgr.OwnedDmb;
import io.smcd.sim.testing.ChildJvm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The parent's half of the {@link ConnectionPeerMain} protocol. Stateless. */
final class ChildConnections {
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(60);

    private ChildConnections() {
    }

    /** The child's arguments for a transfer; {@code receive} may be {@link StreamReceiver#UNKNOWN}. */
    static String[] transferArgs(TransferSpec child) {
        List<String> args = new ArrayList<>(List.of(
                "mode=transfer",
                "domain=" + child.domain,
                "device=" + child.device,
                "ring=" + child.ring,
                "send=" + child.send,
                "receive=" + child.receive,
                "sendSeed=" + child.sendSeed,
                "receiveSeed=" + child.receiveSeed,
                "verify=" + child.verify,
                "writeSizes=" + child.writeSizes,
                "readSizes=" + child.readSizes,
                "timeoutSeconds=" + child.timeoutSeconds));
        return args.toArray(new String[0]);
    }

    /**
     * Reads the child's RMB token and generation, leases this side's RMB from the link group with the child, leases the
     * child's (attaching it) and waits for READY. Both rings hold {@code ring} bytes.
     */
    static SmcdConnection connect(ChildJvm child, LinkGroups linkGroups, IsmDevice device, int ring) throws Exception {
        String[] childRmb = readRmb(child);
        ProcessIdentity peer = ProcessIdentity.of(child.pid()).orElseThrow();
        OwnedDmb rmb = linkGroups.leaseRmb(peer, ring);
        AttachedDmb peerDmb;
        try {
            peerDmb = linkGroups.leasePeerDmb(Long.parseUnsignedLong(childRmb[0], 16), Integer.parseInt(childRmb[2]),
                    ring, peer, true);
        } catch (Exception e) {
            rmb.releaseUnused();
            throw e;
        }
        SmcdConnection connection = new SmcdConnection(device, rmb, peerDmb, linkGroups.sndbufs(), () -> { });
        try {
            child.send("PEER " + Long.toHexString(rmb.dmb().token()) + " " + ring + " "
                    + ClcProposal.wireGeneration(rmb.generation()));
            child.expect("READY", HANDSHAKE_TIMEOUT);
        } catch (Exception | AssertionError e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /** Waits for the child's {@code RMB} line: its token (hex), ring size and lease generation. */
    static String[] readRmb(ChildJvm child) throws Exception {
        return child.expect("RMB", HANDSHAKE_TIMEOUT).split(" ");
    }

    /** What one side of a two-process transfer does. */
    static final class TransferSpec {
        String domain;
        String device;
        int ring;
        long send;
        long receive;
        long sendSeed;
        long receiveSeed;
        boolean verify;
        String writeSizes;
        String readSizes;
        long timeoutSeconds;
    }
}
