package io.smcd.sim.conn;

import io.smcd.sim.DmbSegment;
import io.smcd.sim.IsmDevice;
import io.smcd.sim.SmcdConnection;
import io.smcd.sim.SmcdDomain;
import io.smcd.sim.SmcdException;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Both sides of one connection in this JVM, built as CLC would build them but without it: each side
 * registers its RMB on its own device, attaches the other's (which unlinks the file) and wraps the two.
 * Each side's doorbell counts its rings and then runs an optional action, such as unparking the thread
 * that sleeps on that side. {@link #close()} closes whatever side is still open; call it only after every
 * thread using the connections has stopped.
 */
final class ConnectionPair implements AutoCloseable {
    final SmcdConnection a;
    final SmcdConnection b;
    /** Rings of A's doorbell: rung by B when A sleeps. */
    final AtomicInteger ringsOfA = new AtomicInteger();
    /** Rings of B's doorbell: rung by A when B sleeps. */
    final AtomicInteger ringsOfB = new AtomicInteger();
    private volatile Runnable onRingOfA = () -> { };
    private volatile Runnable onRingOfB = () -> { };

    private ConnectionPair(SmcdDomain domain, String device, int ringOfA, int ringOfB) throws SmcdException {
        IsmDevice deviceA = Devices.create(device, domain);
        IsmDevice deviceB = Devices.create(device, domain);
        DmbSegment rmbA = deviceA.registerDmb(ringOfA);
        DmbSegment rmbB = null;
        DmbSegment peerOfA = null;
        DmbSegment peerOfB = null;
        try {
            rmbB = deviceB.registerDmb(ringOfB);
            peerOfA = deviceA.attachDmb(rmbB.token(), ringOfB);
            peerOfB = deviceB.attachDmb(rmbA.token(), ringOfA);
        } catch (SmcdException | RuntimeException e) {
            release(deviceA, rmbA, peerOfA);
            if (rmbB != null) {
                release(deviceB, rmbB, peerOfB);
            }
            throw e;
        }
        a = new SmcdConnection(deviceA, rmbA, peerOfA, () -> {
            ringsOfB.incrementAndGet();
            onRingOfB.run();
        });
        b = new SmcdConnection(deviceB, rmbB, peerOfB, () -> {
            ringsOfA.incrementAndGet();
            onRingOfA.run();
        });
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

    @Override
    public void close() {
        try {
            a.close();
        } finally {
            b.close();
        }
    }

    @Override
    public String toString() {
        return "A=" + a + " B=" + b;
    }

    private static void release(IsmDevice device, DmbSegment rmb, DmbSegment peer) {
        if (peer != null) {
            device.detachDmb(peer);
        }
        device.unregisterDmb(rmb);
    }
}
