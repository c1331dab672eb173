package io.smcd.sim.lgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smcd.sim.CdcCursor;
import io.smcd.sim.CdcDescriptor;
import io.smcd.sim.CdcFlags;
import io.smcd.sim.DmbDescriptor;
import io.smcd.sim.DmbSegment;
import io.smcd.sim.DmbSize;
import io.smcd.sim.ProcessIdentity;
import io.smcd.sim.SharedWords;
import io.smcd.sim.SmcdException;
import io.smcd.sim.SmcdReason;
import io.smcd.sim.clc.ClcProposal;
import io.smcd.sim.testing.TestDomain;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The life of DMBs in link groups, driven by hand: what a connection's writer would store into the peer's DMB is
 * stored here directly, so each transition can be checked on its own.
 */
class LinkGroupsTest {
    private static final int RING = DmbSize.MIN_SIZE;
    private static final ProcessIdentity SELF = ProcessIdentity.current();

    @Test
    void aReleasedRmbIsLentAgainUnderTheNextGenerationWithItsUsedBytesZeroed() throws Exception {
        try (TestDomain td = TestDomain.create(); LinkGroups groups = new LinkGroups(td.domain())) {
            OwnedDmb first = groups.leaseRmb(SELF, RING);
            assertEquals(1, first.generation());
            assertEquals(1, first.dmb().getGenerationAcquire(), "the header names the lease");
            writeAsPeer(first, 100, CdcFlags.PEER_CONN_CLOSED);
            first.release();

            OwnedDmb second = groups.leaseRmb(SELF, RING);
            assertSame(first, second);
            assertEquals(2, second.generation());
            assertEquals(2, second.dmb().getGenerationAcquire());
            ByteBuffer b = second.dmb().buffer();
            for (int i = 0; i < 100; i++) {
                assertEquals(0, b.get(DmbDescriptor.RING_OFFSET + i), "ring byte " + i);
            }
            for (int slot = CdcDescriptor.PROD_CURSOR_OFFSET; slot < DmbDescriptor.RING_OFFSET; slot += DmbDescriptor.SLOT_LENGTH) {
                assertEquals(0, SharedWords.getPlain(b, slot), "CDC word at " + slot);
            }
            assertEquals(1, groups.rmbsCreated());
            assertEquals(1, groups.rmbsReused());
            second.releaseUnused();
        }
    }

    @Test
    void storesAPeerMakesAfterClaimingItsReleaseDoNotReachTheNextLease() throws Exception {
        try (TestDomain td = TestDomain.create(); LinkGroups groups = new LinkGroups(td.domain())) {
            OwnedDmb first = groups.leaseRmb(SELF, RING);
            writeAsPeer(first, 100, CdcFlags.PEER_CONN_CLOSED);
            first.release();
            // A lying (or buggy) peer writes on after its close flag: cursors, an abort flag, a sleep generation.
            ByteBuffer b = first.dmb().buffer();
            SharedWords.setRelease(b, CdcDescriptor.PROD_CURSOR_OFFSET, CdcCursor.of(0, 4000));
            SharedWords.setRelease(b, CdcDescriptor.CONS_CURSOR_OFFSET, CdcCursor.of(9, 1));
            SharedWords.setRelease(b, CdcDescriptor.FLAGS_OFFSET, CdcFlags.PEER_CONN_ABORT);
            SharedWords.setRelease(b, CdcDescriptor.SLEEPING_OFFSET, 77);

            OwnedDmb second = groups.leaseRmb(SELF, RING);
            assertSame(first, second);
            for (int slot = CdcDescriptor.PROD_CURSOR_OFFSET; slot < DmbDescriptor.RING_OFFSET; slot += DmbDescriptor.SLOT_LENGTH) {
                assertEquals(0, SharedWords.getPlain(b, slot), "CDC word at " + slot + " of the new lease");
            }
            second.releaseUnused();
        }
    }

    @Test
    void aWrappedRingIsZeroedWhole() throws Exception {
        try (TestDomain td = TestDomain.create(); LinkGroups groups = new LinkGroups(td.domain())) {
            OwnedDmb dmb = groups.leaseRmb(SELF, RING);
            ByteBuffer b = dmb.dmb().buffer();
            for (int i = 0; i < RING; i++) {
                b.put(DmbDescriptor.RING_OFFSET + i, (byte) 0x5A);
            }
            SharedWords.setRelease(b, CdcDescriptor.PROD_CURSOR_OFFSET, CdcCursor.of(3, 7));
            SharedWords.setRelease(b, CdcDescriptor.FLAGS_OFFSET, CdcFlags.PEER_CONN_ABORT);
            dmb.release();
            OwnedDmb again = groups.leaseRmb(SELF, RING);
            for (int i = 0; i < RING; i++) {
                assertEquals(0, b.get(DmbDescriptor.RING_OFFSET + i), "ring byte " + i);
            }
            again.releaseUnused();
        }
    }

    @Test
    void anRmbWhoseWriterIsStillOpenDrainsUntilItsCloseFlag() throws Exception {
        try (TestDomain td = TestDomain.create(); LinkGroups groups = new LinkGroups(td.domain())) {
            OwnedDmb first = groups.leaseRmb(SELF, RING);
            writeAsPeer(first, 10, 0);
            first.release();
            LinkGroup group = groups.group(SELF);
            assertEquals(1, group.drainingDmbs());

            OwnedDmb other = groups.leaseRmb(SELF, RING);
            assertNotEquals(first.dmb().token(), other.dmb().token(), "a draining RMB is not lent");
            assertEquals(2, groups.ownDmbs());

            SharedWords.setRelease(first.dmb().buffer(), CdcDescriptor.FLAGS_OFFSET, CdcFlags.PEER_CONN_CLOSED);
            OwnedDmb third = groups.leaseRmb(SELF, RING);
            assertSame(first, third, "drained once the writer's close flag is there");
            assertEquals(0, group.drainingDmbs());
            other.releaseUnused();
            third.releaseUnused();
            assertEquals(2, group.freeDmbs());
        }
    }

    @Test
    void theSweepReturnsDrainedRmbsAndRetiresThoseWhoseWriterNeverLetGo() throws Exception {
        try (TestDomain td = TestDomain.create(); LinkGroups groups = new LinkGroups(td.domain(), 10, 0)) {
            OwnedDmb drained = groups.leaseRmb(SELF, RING);
            OwnedDmb stuck = groups.leaseRmb(SELF, RING);
            drained.release();
            stuck.release();
            SharedWords.setRelease(drained.dmb().buffer(), CdcDescriptor.FLAGS_OFFSET, CdcFlags.PEER_CONN_CLOSED);
            groups.sweep();
            LinkGroup group = groups.group(SELF);
            assertEquals(0, group.drainingDmbs());
            assertEquals(1, groups.ownDmbs(), "the stuck one is retired past the linger time (0 here)");
            assertEquals(OwnedDmb.State.RETIRED, stuck.state());
            assertEquals(List.of(DmbSegment.fileOf(td.domain(), drained.dmb().token()).getFileName().toString()),
                    td.leftoverFiles(), "a retired RMB's file is removed; the pooled one waits for its first attach");
        }
    }

    @Test
    void idleRmbsThatALingerWindowNeverNeededAreTrimmed() throws Exception {
        try (TestDomain td = TestDomain.create(); LinkGroups groups = new LinkGroups(td.domain(), 10, 0)) {
            List<OwnedDmb> leased = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                leased.add(groups.leaseRmb(SELF, RING));
            }
            leased.forEach(OwnedDmb::releaseUnused);
            groups.sweep();
            assertEquals(3, groups.ownDmbs(), "the window that just closed needed all three");
            groups.leaseRmb(SELF, RING).releaseUnused();
            groups.sweep();
            assertEquals(1, groups.ownDmbs(), "this window needed one of three");
            groups.sweep();
            assertEquals(0, groups.ownDmbs(), "and the next none");
            assertEquals(List.of(), td.leftoverFiles());
        }
    }

    @Test
    void theDmbLimitCountsEveryGroupAndARetiredDmbFreesItsSlot() throws Exception {
        try (TestDomain td = TestDomain.create(); LinkGroups groups = new LinkGroups(td.domain(), 2, 0)) {
            ProcessIdentity other = new ProcessIdentity(SELF.pid(), SELF.startMillis() + 1);
            OwnedDmb a = groups.leaseRmb(SELF, RING);
            OwnedDmb b = groups.leaseRmb(other, RING);
            SmcdException e = assertThrows(SmcdException.class, () -> groups.leaseRmb(SELF, RING));
            assertEquals(SmcdReason.MAX_DMB, e.reasonCode());
            a.releaseUnused();
            assertSame(a, groups.leaseRmb(SELF, RING), "an idle DMB of the group serves without a new slot");
            a.releaseUnused();
            groups.sweep();
            groups.sweep();
            assertEquals(1, groups.ownDmbs(), "the idle one was trimmed");
            groups.leaseRmb(SELF, RING).releaseUnused();
            b.releaseUnused();
        }
    }

    @Test
    void aPeerDmbIsMappedOnceAndLeasedByGeneration() throws Exception {
        try (TestDomain td = TestDomain.create();
             LinkGroups owner = new LinkGroups(td.domain());
             LinkGroups writer = new LinkGroups(td.domain())) {
            OwnedDmb rmb = owner.leaseRmb(SELF, RING);
            long token = rmb.dmb().token();
            AttachedDmb lease = writer.leasePeerDmb(token, wire(rmb), RING, SELF, true);
            assertEquals(List.of(), td.leftoverFiles(), "attaching unlinked the file");
            assertEquals(SELF, lease.owner());
            SmcdException busy = assertThrows(SmcdException.class, () -> writer.leasePeerDmb(token, wire(rmb), RING, SELF, true));
            assertEquals(SmcdReason.SYNCERR, busy.reasonCode(), "in use by another connection");
            SharedWords.setRelease(lease.dmb().buffer(), CdcDescriptor.FLAGS_OFFSET, CdcFlags.PEER_CONN_CLOSED);
            lease.release();
            rmb.release();

            OwnedDmb again = owner.leaseRmb(SELF, RING);
            assertSame(rmb, again);
            SmcdException stale = assertThrows(SmcdException.class,
                    () -> writer.leasePeerDmb(token, ClcProposal.wireGeneration(1), RING, SELF, false));
            assertEquals(SmcdReason.SYNCERR, stale.reasonCode());
            assertTrue(stale.getMessage().contains("stale"), stale.getMessage());
            assertThrows(SmcdException.class, () -> writer.leasePeerDmb(token, wire(again), RING * 2, SELF, false),
                    "the ring size must match");
            ProcessIdentity someoneElse = new ProcessIdentity(SELF.pid(), SELF.startMillis() + 1);
            assertThrows(SmcdException.class, () -> writer.leasePeerDmb(token, wire(again), RING, someoneElse, false),
                    "the owner must be the expected peer");
            AttachedDmb second = writer.leasePeerDmb(token, wire(again), RING, SELF, false);
            assertSame(lease, second);
            assertEquals(1, writer.peerDmbsAttached());
            assertEquals(1, writer.peerDmbsReused());
            second.release();
            again.releaseUnused();
        }
    }

    @Test
    void aPeerDmbNotMappedHereIsRefusedWhenThePeerClaimsItIsKnown() throws Exception {
        try (TestDomain td = TestDomain.create();
             LinkGroups owner = new LinkGroups(td.domain());
             LinkGroups writer = new LinkGroups(td.domain())) {
            OwnedDmb rmb = owner.leaseRmb(SELF, RING);
            SmcdException e = assertThrows(SmcdException.class,
                    () -> writer.leasePeerDmb(rmb.dmb().token(), wire(rmb), RING, SELF, false));
            assertEquals(SmcdReason.SYNCERR, e.reasonCode());
            assertEquals(0, writer.attachedDmbs());
            rmb.releaseUnused();
        }
    }

    @Test
    void theWriterDropsItsMappingOnceTheOwnerRetiredTheDmb() throws Exception {
        try (TestDomain td = TestDomain.create();
             LinkGroups owner = new LinkGroups(td.domain(), 10, 0);
             LinkGroups writer = new LinkGroups(td.domain())) {
            OwnedDmb rmb = owner.leaseRmb(SELF, RING);
            AttachedDmb lease = writer.leasePeerDmb(rmb.dmb().token(), wire(rmb), RING, SELF, true);
            long token = rmb.dmb().token();
            rmb.releaseUnused();
            owner.sweep();
            owner.sweep();
            assertEquals(0, owner.ownDmbs(), "trimmed while idle");
            assertEquals(DmbDescriptor.RETIRED, lease.dmb().getGenerationAcquire(), "the writer's mapping shows it");

            writer.sweep();
            assertEquals(1, writer.attachedDmbs(), "a mapping in use is never dropped");
            lease.release();
            writer.sweep();
            assertEquals(0, writer.attachedDmbs());
            SmcdException e = assertThrows(SmcdException.class, () -> writer.leasePeerDmb(token, 1, RING, SELF, true));
            assertEquals(SmcdReason.MEM, e.reasonCode(), "nothing left to attach");
        }
    }

    @Test
    void closingRetiresEverythingIdleAndTheLentDmbsOnRelease() throws Exception {
        try (TestDomain td = TestDomain.create()) {
            LinkGroups owner = new LinkGroups(td.domain());
            LinkGroups writer = new LinkGroups(td.domain());
            OwnedDmb idle = owner.leaseRmb(SELF, RING);
            idle.releaseUnused();
            OwnedDmb lent = owner.leaseRmb(SELF, RING);
            AttachedDmb attached = writer.leasePeerDmb(lent.dmb().token(), wire(lent), RING, SELF, true);
            owner.close();
            writer.close();
            assertEquals(1, owner.ownDmbs(), "the lent one stays mapped for its connection");
            assertEquals(1, writer.attachedDmbs());
            assertThrows(SmcdException.class, () -> owner.leaseRmb(SELF, RING));
            attached.release();
            lent.release();
            assertEquals(0, owner.ownDmbs());
            assertEquals(0, writer.attachedDmbs());
            assertFalse(owner.groups().iterator().hasNext());
            assertEquals(List.of(), td.leftoverFiles());
        }
    }

    /** Stores what a peer writing into {@code dmb} would: {@code bytes} of data, its producer cursor and flags. */
    private static void writeAsPeer(OwnedDmb dmb, int bytes, long flags) {
        ByteBuffer b = dmb.dmb().buffer();
        for (int i = 0; i < bytes; i++) {
            b.put(DmbDescriptor.RING_OFFSET + i, (byte) (i + 1));
        }
        SharedWords.setRelease(b, CdcDescriptor.PROD_CURSOR_OFFSET, CdcCursor.of(0, bytes));
        SharedWords.setRelease(b, CdcDescriptor.FLAGS_OFFSET, flags);
    }

    private static int wire(OwnedDmb dmb) {
        return ClcProposal.wireGeneration(dmb.generation());
    }
}
