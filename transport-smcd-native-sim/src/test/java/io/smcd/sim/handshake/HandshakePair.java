package io.smcd.sim.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smcd.sim.IsmDevice;
import io.smcd.sim.ProcessIdentity;
import io.smcd.sim.lgr.LinkGroups;
import io.smcd.sim.testing.TestDomain;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two simulated processes of one domain for handshake tests: each has its own link groups, as two JVMs would, and
 * creates proposer or acceptor handshakes on them. {@link #close()} closes both tables; {@link #assertReleased}
 * proves that every lease was released and nothing is left in the domain.
 */
final class HandshakePair implements AutoCloseable {
    static final int PROPOSER_RING = 64 * 1024;
    static final int ACCEPTOR_RING = 32 * 1024;

    final TestDomain domain;
    final LinkGroups proposerGroups;
    final LinkGroups acceptorGroups;
    final AtomicInteger acceptorDoorbell = new AtomicInteger();
    final AtomicInteger proposerDoorbell = new AtomicInteger();

    HandshakePair(TestDomain domain, int acceptorMaxDmbs, int proposerMaxDmbs, long lingerNanos) {
        this.domain = domain;
        this.proposerGroups = new LinkGroups(domain.domain(), proposerMaxDmbs, lingerNanos);
        this.acceptorGroups = new LinkGroups(domain.domain(), acceptorMaxDmbs, lingerNanos);
    }

    HandshakePair(TestDomain domain) {
        this(domain, LinkGroups.DEFAULT_MAX_DMBS, LinkGroups.DEFAULT_MAX_DMBS, LinkGroups.DEFAULT_LINGER_NANOS);
    }

    ClcProposerHandshake proposer(List<? extends IsmDevice> devices) {
        return new ClcProposerHandshake(devices, proposerGroups, ProcessIdentity.current(), PROPOSER_RING,
                acceptorDoorbell::incrementAndGet);
    }

    ClcAcceptorHandshake acceptor(List<? extends IsmDevice> devices) {
        return new ClcAcceptorHandshake(devices, acceptorGroups, ACCEPTOR_RING, proposerDoorbell::incrementAndGet);
    }

    /** Closes both tables and checks that no lease was left open and no file was left in the domain. */
    void assertReleased() {
        close();
        assertEquals(0, proposerGroups.ownDmbs(), "proposer RMBs still lent: " + proposerGroups);
        assertEquals(0, acceptorGroups.ownDmbs(), "acceptor RMBs still lent: " + acceptorGroups);
        assertEquals(0, proposerGroups.attachedDmbs(), "proposer leases: " + proposerGroups);
        assertEquals(0, acceptorGroups.attachedDmbs(), "acceptor leases: " + acceptorGroups);
        assertEquals(List.of(), domain.leftoverFiles());
    }

    @Override
    public void close() {
        proposerGroups.close();
        acceptorGroups.close();
    }
}
