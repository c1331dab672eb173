package io.smcd.sim.conn;

import io.smcd.sim.IsmDevice;
import io.smcd.sim.ProcessIdentity;
import io.smcd.sim.SmcdConnection;
import io.smcd.sim.SmcdDomain;
import io.smcd.sim.SmcdException;
import io.smcd.sim.clc.ClcProposal;
import io.smcd.sim.lgr.AttachedDmb;
import io.smcd.sim.lgr.LinkGroups;
import io.smcd.sim.lgr.OwnedDmb;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Both sides of one connection in this JVM, built as CLC would build them but without it: each side
 * leases its RMB from a link group with this process, leases the other's (the first lease attaches it,
 * which unlinks the file) and wraps the two.
 * Each side's doorbell counts its rings and then runs an optional action, such as unparking the thread
 * that sleeps on that side. {@link #close()} closes whatever side is still open; call it only after every
 * thread using the connections has stopped.
 */
final class ConnectionPair implements AutoCloseable {
    final SmcdConnection a;
    final SmcdConnection b;
    final LinkGroups linkGroups;
    /** Rings of A's doorbell: rung by B when A sleeps. */
    final AtomicInteger ringsOfA = new AtomicInteger();
    /** Rings of B's doorbell: rung by A when B sleeps. */
    final AtomicInteger ringsOfB = new AtomicInteger();
    private volatile Runnable onRingOfA = () -> { };
    private volatile Runnable onRingOfB = () -> { };

    private ConnectionPair(SmcdDomain domain, String device, int ringOfA, int ringOfB) throws SmcdException {
        IsmDevice deviceA = Devices.create(device, domain);
        IsmDevice deviceB = Devices.create(device, domain);
        linkGroups = new LinkGroups(domain);
        ProcessIdentity self = ProcessIdentity.current();
        try {
            OwnedDmb rmbA = linkGroups.leaseRmb(self, ringOfA);
            OwnedDmb rmbB = linkGroups.leaseRmb(self, ringOfB);
            AttachedDmb peerOfA = linkGroups.leasePeerDmb(rmbB.dmb().token(),
                    ClcProposal.wireGeneration(rmbB.generation()), ringOfB, self, true);
            AttachedDmb peerOfB = linkGroups.leasePeerDmb(rmbA.dmb().token(),
                    ClcProposal.wireGeneration(rmbA.generation()), ringOfA, self, true);
            a = new SmcdConnection(deviceA, rmbA, peerOfA, linkGroups.sndbufs(), () -> {
                ringsOfB.incrementAndGet();
                onRingOfB.run();
            });
            b = new SmcdConnection(deviceB, rmbB, peerOfB, linkGroups.sndbufs(), () -> {
                ringsOfA.incrementAndGet();
                onRingOfA.run();
            });
        } catch (SmcdException | RuntimeException e) {
            linkGroups.close();
            throw e;
        }
    }

    /** A pair on {@code device} whose two rings both hold {@code ringSize} bytes. */
    static ConnectionPair open(SmcdDomain domain, String device, int ringSize) throws SmcdException {
        return new ConnectionPair(domain, device, ringSize, ringSize);
    }

    /** A pair whose A side receives into a ring of {@code ringOfA} bytes and B side into {@code ringOfB}. */
    static ConnectionPair open(SmcdDomain domain, String device, int ringOfA, int ringOfB) throws SmcdException {
        return new ConnectionPair(domain, device, ringOfA, ringOfB);
    }

    void onRingOfA(Runnable action) {
        onRingOfA = action;
    }

    void onRingOfB(Runnable action) {
        onRingOfB = action;
    }

    /** Closes whatever side is still open, then the link groups, which unmaps every DMB. */
    @Override
    public void close() {
        try {
            a.close();
        } finally {
            try {
                b.close();
            } finally {
                linkGroups.close();
            }
        }
    }

    @Override
    public String toString() {
        return "A=" + a + " B=" + b;
    }
}
