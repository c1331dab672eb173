package io.smcd.sim.conn;

import io.smcd.sim.DmbSegment;
import io.smcd.sim.IsmDevice;
import io.smcd.sim.SmcdConnection;
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
     * Reads the child's RMB token, registers this side's RMB, attaches the child's and waits for READY.
     * Both rings hold {@code ring} bytes.
     */
    static SmcdConnection connect(ChildJvm child, IsmDevice device, int ring) throws Exception {
        long childToken = readRmbToken(child);
        DmbSegment rmb = device.registerDmb(ring);
        DmbSegment peer;
        try {
            peer = device.attachDmb(childToken, ring);
        } catch (Exception e) {
            device.unregisterDmb(rmb);
            throw e;
        }
        SmcdConnection connection = new SmcdConnection(device, rmb, peer, () -> { });
        try {
            child.send("PEER " + Long.toHexString(rmb.token()) + " " + ring);
            child.expect("READY", HANDSHAKE_TIMEOUT);
        } catch (Exception | AssertionError e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /** Waits for the child's {@code RMB} line and returns its token. */
    static long readRmbToken(ChildJvm child) throws Exception {
        String[] rmb = child.expect("RMB", HANDSHAKE_TIMEOUT).split(" ");
        return Long.parseUnsignedLong(rmb[0], 16);
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
