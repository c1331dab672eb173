package io.smcd.bench.core;

import io.smcd.sim.CopyIsmDevice;
import io.smcd.sim.IsmDevice;
import io.smcd.sim.LoopbackIsmDevice;
import io.smcd.sim.ProcessIdentity;
import io.smcd.sim.SmcdConnection;
import io.smcd.sim.SmcdDomain;
import io.smcd.sim.clc.ClcProposal;
import io.smcd.sim.lgr.LinkGroups;
import io.smcd.sim.lgr.OwnedDmb;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The one place where the benchmarks set up SMC-D core connections without Netty (CoreBench, its peer and the JMH
 * benches): a domain with its two devices and its link groups, and connections paired the way the CLC exchange pairs
 * them. One side leases its RMB and names it (token and lease generation), the other leases its own and joins this
 * one's; then the first joins the second's. Whoever adapts the benchmarks to a new buffer API changes this class only.
 *
 * <p>Thread-safe as far as the core's domain, devices and link groups are; a {@link HalfConnection} belongs to one
 * thread.
 */
public final class SmcdCore implements AutoCloseable {
    private final SmcdDomain domain;
    private final LinkGroups linkGroups;
    private final IsmDevice loopback;
    private final IsmDevice copy;

    private SmcdCore(SmcdDomain domain) {
        this.domain = domain;
        this.linkGroups = new LinkGroups(domain);
        this.loopback = new LoopbackIsmDevice(domain);
        this.copy = new CopyIsmDevice(domain);
    }

    /** Opens (and creates) the domain in {@code directory}. */
    public static SmcdCore open(Path directory) throws IOException {
        return new SmcdCore(SmcdDomain.open(directory));
    }

    /** Leases this side's RMB of {@code ringSize} bytes, for a connection with {@code peer}, on the copy or loopback device. */
    public HalfConnection register(boolean copyDevice, int ringSize, ProcessIdentity peer) throws IOException {
        return new HalfConnection(copyDevice ? copy : loopback, linkGroups.leaseRmb(peer, ringSize), peer);
    }

    /** Retires the link groups' DMBs and closes the domain; the last member removes it. */
    @Override
    public void close() {
        try {
            linkGroups.close();
        } finally {
            domain.close();
        }
    }

    /** A leased RMB waiting for the peer's: {@link #join} it, or {@link #abandon} it if that fails. */
    public final class HalfConnection {
        private final IsmDevice device;
        private final OwnedDmb rmb;
        private final ProcessIdentity peer;

        private HalfConnection(IsmDevice device, OwnedDmb rmb, ProcessIdentity peer) {
            this.device = device;
            this.rmb = rmb;
            this.peer = peer;
        }

        /** What the peer joins this RMB by: {@code <token hex>:<generation>}, one word. */
        public String name() {
            return Long.toHexString(rmb.dmb().token()) + ":" + ClcProposal.wireGeneration(rmb.generation());
        }

        /**
         * The connection to the peer's RMB named {@code peerName}, which has this RMB's size. Nobody arms a doorbell in
         * a pure spin loop, so the core never rings the one given here.
         */
        public SmcdConnection join(String peerName) throws IOException {
            String[] parts = peerName.split(":");
            if (parts.length != 2) {
                throw new IllegalArgumentException("peerName=" + peerName + " is not <token hex>:<generation>");
            }
            return new SmcdConnection(device, rmb, linkGroups.leasePeerDmb(Long.parseUnsignedLong(parts[0], 16),
                    Integer.parseInt(parts[1]), rmb.dmb().ringSize(), peer, true), linkGroups.sndbufs(), () -> { });
        }

        /** Releases the RMB when no connection was made of it. */
        public void abandon() {
            rmb.releaseUnused();
        }
    }
}
