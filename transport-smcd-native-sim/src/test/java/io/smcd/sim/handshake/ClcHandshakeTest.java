package io.smcd.sim.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smcd.sim.CopyIsmDevice;
import io.smcd.sim.DmbDescriptor;
import io.smcd.sim.DmbSize;
import io.smcd.sim.Gid;
import io.smcd.sim.IsmDevice;
import io.smcd.sim.LoopbackIsmDevice;
import io.smcd.sim.ProcessIdentity;
import io.smcd.sim.SmcdConnection;
import io.smcd.sim.SmcdException;
import io.smcd.sim.SmcdReason;
import io.smcd.sim.clc.ClcAcceptConfirm;
import io.smcd.sim.clc.ClcCodec;
import io.smcd.sim.clc.ClcDecline;
import io.smcd.sim.clc.ClcFormatException;
import io.smcd.sim.clc.ClcMessage;
import io.smcd.sim.clc.ClcProposal;
import io.smcd.sim.handshake.ClcHandshakeStep.Status;
import io.smcd.sim.lgr.LinkGroups;
import io.smcd.sim.lgr.OwnedDmb;
import io.smcd.sim.testing.TestDomain;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Proposer and acceptor handshakes wired back to back in one JVM, bytes passed by hand between them, each side with
 * its own link groups as two processes would have.
 */
class ClcHandshakeTest {
    private static final int PROPOSER_RING = HandshakePair.PROPOSER_RING;
    private static final int ACCEPTOR_RING = HandshakePair.ACCEPTOR_RING;
    /** What follows the last CLC message in the stream: doorbells and application bytes, not the handshake's. */
    private static final byte[] TRAILER = "\u0001\u0001next-layer bytes".getBytes(StandardCharsets.US_ASCII);

    enum Delivery { WHOLE, BYTE_BY_BYTE, COALESCED_WITH_TRAILER }

    /** One side's receive buffer, kept in write mode between deliveries, as a transport's cumulation would be. */
    private static final class Inbox {
        final ByteBuffer buffer = ByteBuffer.allocate(8192);

        ClcHandshakeStep deliver(Function<ByteBuffer, ClcHandshakeStep> onBytes, ByteBuffer bytes, Delivery delivery,
                boolean lastMessage) {
            byte[] b = new byte[bytes.remaining()];
            bytes.get(b);
            if (delivery == Delivery.BYTE_BY_BYTE) {
                ClcHandshakeStep step = null;
                for (int i = 0; i < b.length; i++) {
                    buffer.put(b[i]);
                    step = call(onBytes);
                    if (i < b.length - 1) {
                        assertEquals(Status.RUNNING, step.status(), "after byte " + i);
                        assertFalse(step.hasOutput(), "after byte " + i);
                        assertEquals(i + 1, buffer.position(), "a partial message stays unconsumed");
                    }
                }
                return step;
            }
            buffer.put(b);
            if (delivery == Delivery.COALESCED_WITH_TRAILER && lastMessage) {
                buffer.put(TRAILER);
            }
            return call(onBytes);
        }

        ClcHandshakeStep call(Function<ByteBuffer, ClcHandshakeStep> onBytes) {
            buffer.flip();
            try {
                return onBytes.apply(buffer);
            } finally {
                buffer.compact();
            }
        }

        byte[] unconsumed() {
            return Arrays.copyOf(buffer.array(), buffer.position());
        }
    }


    static Stream<Arguments> preferenceAndDelivery() {
        List<Arguments> args = new ArrayList<>();
        for (boolean loopbackFirst : new boolean[] {true, false}) {
            for (Delivery d : Delivery.values()) {
                args.add(Arguments.of(loopbackFirst, d));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "loopbackFirst={0} {1}")
    @MethodSource("preferenceAndDelivery")
    void firstContactTakesThreeMessagesOnTheProposersPreferredDevice(boolean loopbackFirst, Delivery delivery)
            throws Exception {
        try (TestDomain td = TestDomain.create(); HandshakePair pair = new HandshakePair(td)) {
            IsmDevice cLo = new LoopbackIsmDevice(td.domain());
            IsmDevice cCopy = new CopyIsmDevice(td.domain());
            IsmDevice sLo = new LoopbackIsmDevice(td.domain());
            IsmDevice sCopy = new CopyIsmDevice(td.domain());
            ClcProposerHandshake proposer = pair.proposer(loopbackFirst ? List.of(cLo, cCopy) : List.of(cCopy, cLo));
            ClcAcceptorHandshake acceptor = pair.acceptor(List.of(sCopy, sLo));
            Inbox toAcceptor = new Inbox();
            Inbox toProposer = new Inbox();

            ClcHandshakeStep proposal = proposer.start();
            assertEquals(Status.RUNNING, proposal.status());
            assertTrue(proposal.hasOutput());
            ClcHandshakeStep acceptorStart = acceptor.start();
            assertEquals(Status.RUNNING, acceptorStart.status());
            assertFalse(acceptorStart.hasOutput());

            ClcHandshakeStep accept = toAcceptor.deliver(acceptor::onBytes, proposal.output(), delivery, false);
            assertEquals(Status.RUNNING, accept.status(), accept.toString());
            assertTrue(((ClcAcceptConfirm) decode(accept.output())).firstContact(), "a new RMB: first contact");
            ClcHandshakeStep confirm = toProposer.deliver(proposer::onBytes, accept.output(), delivery, true);
            assertEquals(Status.SMCD, confirm.status(), confirm.toString());
            assertTrue(confirm.hasOutput());
            ClcHandshakeStep done = toAcceptor.deliver(acceptor::onBytes, confirm.output(), delivery, true);
            assertEquals(Status.SMCD, done.status(), done.toString());
            assertFalse(done.hasOutput());

            byte[] expectedLeft = delivery == Delivery.COALESCED_WITH_TRAILER ? TRAILER : new byte[0];
            assertArrayEquals(expectedLeft, toProposer.unconsumed(), "proposer must leave the next layer's bytes");
            assertArrayEquals(expectedLeft, toAcceptor.unconsumed(), "acceptor must leave the next layer's bytes");
            // A finished handshake consumes nothing more and repeats its outcome.
            assertEquals(Status.SMCD, toAcceptor.call(acceptor::onBytes).status());
            assertEquals(Status.SMCD, toProposer.call(proposer::onBytes).status());
            assertArrayEquals(expectedLeft, toProposer.unconsumed());
            assertSame(confirm.connection(), proposer.fallBack(SmcdReason.TIMEOUT_CLC).connection());

            assertSame(loopbackFirst ? cLo : cCopy, confirm.device());
            assertSame(loopbackFirst ? sLo : sCopy, done.device());
            int expectedChid = loopbackFirst ? LoopbackIsmDevice.CHID : CopyIsmDevice.CHID;
            SmcdConnection c = confirm.connection();
            SmcdConnection s = done.connection();
            assertEquals(expectedChid, c.device().chid());
            assertEquals(expectedChid, s.device().chid());
            assertEquals(PROPOSER_RING, c.rmb().ringSize());
            assertEquals(PROPOSER_RING, s.peerDmb().ringSize());
            assertEquals(ACCEPTOR_RING, s.rmb().ringSize());
            assertEquals(ACCEPTOR_RING, c.peerDmb().ringSize());
            assertEquals(c.rmb().token(), s.peerDmb().token());
            assertEquals(s.rmb().token(), c.peerDmb().token());
            assertEquals(List.of(), td.leftoverFiles(), "both DMBs were attached, so both files are gone");

            roundTrip(c, s, "hello from the proposer");
            roundTrip(s, c, "hello from the acceptor");

            c.close();
            s.close();
            pair.assertReleased();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Delivery.class)
    void laterConnectionsOfTheLinkGroupReuseBothDmbsInTwoMessages(Delivery delivery) throws Exception {
        try (TestDomain td = TestDomain.create(); HandshakePair pair = new HandshakePair(td)) {
            IsmDevice lo = new LoopbackIsmDevice(td.domain());
            SmcdConnection[] first = connect(pair, lo);
            long proposerToken = first[0].rmb().token();
            long acceptorToken = first[1].rmb().token();
            roundTrip(first[0], first[1], "first connection, with bytes that must not show up again");
            first[0].close();
            first[1].close();

            for (int round = 2; round <= 5; round++) {
                ClcProposerHandshake proposer = pair.proposer(List.of(lo));
                ClcAcceptorHandshake acceptor = pair.acceptor(List.of(lo));
                acceptor.start();
                Inbox toAcceptor = new Inbox();
                Inbox toProposer = new Inbox();
                ClcHandshakeStep proposal = proposer.start();
                ClcProposal p = (ClcProposal) decode(proposal.output());
                assertEquals(proposerToken, p.dmbToken(), "round " + round + ": the proposer's RMB is reused");
                assertEquals(round, p.dmbGeneration(), "one generation per lease");

                ClcHandshakeStep accept = toAcceptor.deliver(acceptor::onBytes, proposal.output(), delivery, true);
                assertEquals(Status.SMCD, accept.status(), "no Confirm to wait for: " + accept);
                ClcAcceptConfirm a = (ClcAcceptConfirm) decode(accept.output());
                assertFalse(a.firstContact(), "the proposer maps this RMB already");
                assertEquals(acceptorToken, a.dmbToken());
                assertEquals(round, a.dmbGeneration());
                ClcHandshakeStep done = toProposer.deliver(proposer::onBytes, accept.output(), delivery, true);
                assertEquals(Status.SMCD, done.status(), done.toString());
                assertFalse(done.hasOutput(), "no Confirm without first contact");
                byte[] expectedLeft = delivery == Delivery.COALESCED_WITH_TRAILER ? TRAILER : new byte[0];
                assertArrayEquals(expectedLeft, toProposer.unconsumed());
                assertArrayEquals(expectedLeft, toAcceptor.unconsumed());

                SmcdConnection c = done.connection();
                SmcdConnection s = accept.connection();
                assertEquals(0, c.readableBytes(), "a reused RMB starts empty");
                assertEquals(0, s.readableBytes(), "a reused RMB starts empty");
                assertRingZeroed(c);
                assertRingZeroed(s);
                roundTrip(c, s, "round " + round);
                roundTrip(s, c, "and back " + round);
                assertEquals(List.of(), td.leftoverFiles(), "reuse creates no file");
                if (round % 2 == 0) {
                    c.close();
                    s.close();
                } else {
                    s.close();
                    c.close();
                }
            }
            assertEquals(1, pair.proposerGroups.rmbsCreated());
            assertEquals(4, pair.proposerGroups.rmbsReused());
            assertEquals(1, pair.acceptorGroups.rmbsCreated());
            assertEquals(4, pair.acceptorGroups.rmbsReused());
            assertEquals(1, pair.acceptorGroups.peerDmbsAttached());
            assertEquals(4, pair.acceptorGroups.peerDmbsReused());
            assertEquals(1, pair.proposerGroups.peerDmbsAttached());
            assertEquals(4, pair.proposerGroups.peerDmbsReused());
            pair.assertReleased();
        }
    }

    @Test
    void concurrentConnectionsOfOneLinkGroupGetDistinctDmbsAndAllReturnToThePool() throws Exception {
        try (TestDomain td = TestDomain.create(); HandshakePair pair = new HandshakePair(td)) {
            IsmDevice lo = new LoopbackIsmDevice(td.domain());
            List<SmcdConnection[]> open = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                open.add(connect(pair, lo));
            }
            Set<Long> tokens = new HashSet<>();
            for (SmcdConnection[] c : open) {
                assertTrue(tokens.add(c[0].rmb().token()), "an RMB lent twice at once");
                assertTrue(tokens.add(c[1].rmb().token()), "an RMB lent twice at once");
            }
            for (int i = 0; i < open.size(); i++) {
                roundTrip(open.get(i)[0], open.get(i)[1], "connection " + i);
            }
            for (SmcdConnection[] c : open) {
                c[0].close();
                c[1].close();
            }
            // The proposer closed first: its RMBs wait for the acceptor's close flags, which are there by now.
            assertEquals(8, pair.proposerGroups.group(ProcessIdentity.current()).drainingDmbs());
            assertEquals(8, pair.acceptorGroups.group(ProcessIdentity.current()).freeDmbs());
            for (int i = 0; i < 8; i++) {
                SmcdConnection[] again = connect(pair, lo);
                assertTrue(tokens.contains(again[0].rmb().token()) && tokens.contains(again[1].rmb().token()));
                again[0].close();
                again[1].close();
            }
            assertEquals(8, pair.proposerGroups.rmbsCreated());
            assertEquals(8, pair.proposerGroups.rmbsReused());
            pair.assertReleased();
        }
    }

    @Test
    void aStaleProposalOfAnEarlierLeaseIsDeclined() throws Exception {
        try (TestDomain td = TestDomain.create(); HandshakePair pair = new HandshakePair(td)) {
            IsmDevice lo = new LoopbackIsmDevice(td.domain());
            ClcProposerHandshake first = pair.proposer(List.of(lo));
            ByteBuffer staleProposal = first.start().output();
            ClcAcceptorHandshake firstAcceptor = pair.acceptor(List.of(lo));
            firstAcceptor.start();
            ClcHandshakeStep accept = firstAcceptor.onBytes(staleProposal.duplicate());
            ClcHandshakeStep confirm = first.onBytes(accept.output());
            ClcHandshakeStep done = firstAcceptor.onBytes(confirm.output());
            confirm.connection().close();
            done.connection().close();

            // The proposer's RMB is lent again under a new generation; a replay of the old Proposal names the old one.
            ClcProposerHandshake second = pair.proposer(List.of(lo));
            ClcProposal current = (ClcProposal) decode(second.start().output());
            ClcAcceptorHandshake acceptor = pair.acceptor(List.of(lo));
            acceptor.start();
            ClcHandshakeStep decline = acceptor.onBytes(staleProposal.duplicate());
            assertFallback(decline, SmcdReason.SYNCERR, SmcdReason.NONE);
            assertDecline(decline, SmcdReason.SYNCERR);
            assertEquals(current.dmbToken(), ((ClcProposal) decode(staleProposal)).dmbToken(), "same DMB, other lease");
            assertFallback(second.onBytes(decline.output()), SmcdReason.PEERDECL, SmcdReason.SYNCERR);
            pair.assertReleased();
        }
    }

    @Test
    void aStaleAcceptOfAnEarlierLeaseFailsTheProposer() throws Exception {
        try (TestDomain td = TestDomain.create(); HandshakePair pair = new HandshakePair(td)) {
            IsmDevice lo = new LoopbackIsmDevice(td.domain());
            SmcdConnection[] first = connect(pair, lo);
            first[0].close();
            first[1].close();

            ClcProposerHandshake proposer = pair.proposer(List.of(lo));
            ClcAcceptorHandshake acceptor = pair.acceptor(List.of(lo));
            acceptor.start();
            ClcHandshakeStep accept = acceptor.onBytes(proposer.start().output());
            assertEquals(Status.SMCD, accept.status());
            ClcAcceptConfirm a = (ClcAcceptConfirm) decode(accept.output());
            ClcAcceptConfirm stale = new ClcAcceptConfirm(a.type(), a.gid(), a.dmbToken(), a.dmbSizeCode(),
                    a.dmbGeneration() - 1, a.linkId(), a.chid(), a.eid(), false);

            ClcHandshakeStep failed = proposer.onBytes(ByteBuffer.wrap(ClcCodec.encode(stale)));
            assertEquals(Status.FAILED, failed.status(), "the acceptor runs already, no Decline can reach it: " + failed);
            assertEquals(SmcdReason.SYNCERR, failed.failure().reasonCode());
            assertTrue(failed.failure().getMessage().contains("stale"), failed.failure().getMessage());
            assertFalse(failed.hasOutput());
            // The transport aborts the TCP connection; the acceptor's connection closes on the reset.
            accept.connection().abort();
            pair.assertReleased();
        }
    }

    @Test
    void aDmbStillInUseByAnotherConnectionIsRefused() throws Exception {
        try (TestDomain td = TestDomain.create(); HandshakePair pair = new HandshakePair(td)) {
            IsmDevice lo = new LoopbackIsmDevice(td.domain());
            SmcdConnection[] busy = connect(pair, lo);
            // A forged Proposal that names the DMB of the open connection, with its current generation.
            ClcProposerHandshake proposer = pair.proposer(List.of(lo));
            ClcProposal real = (ClcProposal) decode(proposer.start().output());
            ClcProposal forged = new ClcProposal(real.senderGid(), real.devices(), real.eids(), busy[0].rmb().token(),
                    real.dmbSizeCode(), ClcProposal.wireGeneration(busy[0].rmbLease().generation()));
            ClcAcceptorHandshake acceptor = pair.acceptor(List.of(lo));
            acceptor.start();
            ClcHandshakeStep decline = acceptor.onBytes(ByteBuffer.wrap(ClcCodec.encode(forged)));
            assertFallback(decline, SmcdReason.SYNCERR, SmcdReason.NONE);
            roundTrip(busy[0], busy[1], "the open connection is untouched");
            assertFallback(proposer.onBytes(decline.output()), SmcdReason.PEERDECL, SmcdReason.SYNCERR);
            busy[0].close();
            busy[1].close();
            pair.assertReleased();
        }
    }

    @Test
    void secondOfferedDeviceIsChosen() throws Exception {
        try (TestDomain td = TestDomain.create(); HandshakePair pair = new HandshakePair(td)) {
            IsmDevice cLo = new LoopbackIsmDevice(td.domain());
            IsmDevice cCopy = new CopyIsmDevice(td.domain());
            IsmDevice sLo = new LoopbackIsmDevice(td.domain());
            ClcProposerHandshake proposer = pair.proposer(List.of(cCopy, cLo));
            ClcAcceptorHandshake acceptor = pair.acceptor(List.of(sLo));
            acceptor.start();
            ClcHandshakeStep confirm = proposer.onBytes(acceptor.onBytes(proposer.start().output()).output());
            assertEquals(Status.SMCD, confirm.status(), confirm.toString());
            ClcHandshakeStep done = acceptor.onBytes(confirm.output());
            assertEquals(Status.SMCD, done.status(), done.toString());
            assertSame(cLo, confirm.device());
            assertEquals(LoopbackIsmDevice.CHID, confirm.connection().device().chid());
            assertTrue(confirm.connection().device().supportsNocopy());

            roundTrip(confirm.connection(), done.connection(), "over the second device");
            roundTrip(done.connection(), confirm.connection(), "and back");
            confirm.connection().close();
            done.connection().close();
            pair.assertReleased();
        }
    }

    @Test
    void noCommonDeviceFallsBackOnBothSides() throws Exception {
        try (TestDomain td = TestDomain.create(); HandshakePair pair = new HandshakePair(td)) {
            ClcProposerHandshake proposer = pair.proposer(List.of(new LoopbackIsmDevice(td.domain())));
            ClcAcceptorHandshake acceptor = pair.acceptor(List.of(new CopyIsmDevice(td.domain())));
            acceptor.start();
            ClcHandshakeStep decline = acceptor.onBytes(proposer.start().output());

            assertFallback(decline, SmcdReason.NOSMCD2DEV, SmcdReason.NONE);
            assertDecline(decline, SmcdReason.NOSMCD2DEV);
            ClcHandshakeStep proposerDone = proposer.onBytes(decline.output());
            assertFallback(proposerDone, SmcdReason.PEERDECL, SmcdReason.NOSMCD2DEV);
            assertFalse(proposerDone.hasOutput());
            assertEquals(1, pair.proposerGroups.group(ProcessIdentity.current()).freeDmbs(),
                    "a declined proposal's RMB goes straight back to the pool");
            pair.assertReleased();
        }
    }

    @Test
    void unreachableProposerDmbIsDeclinedWithMem() throws Exception {
        try (TestDomain td = TestDomain.create(); HandshakePair pair = new HandshakePair(td)) {
            IsmDevice lo = new LoopbackIsmDevice(td.domain());
            ClcProposerHandshake proposer = pair.proposer(List.of(lo));
            ClcAcceptorHandshake acceptor = pair.acceptor(List.of(lo));
            acceptor.start();
            ClcProposal p = (ClcProposal) decode(proposer.start().output());
            ClcProposal tampered = new ClcProposal(p.senderGid(), p.devices(), p.eids(), p.dmbToken() ^ 0x5A5A,
                    p.dmbSizeCode(), p.dmbGeneration());

            ClcHandshakeStep decline = acceptor.onBytes(ByteBuffer.wrap(ClcCodec.encode(tampered)));
            assertFallback(decline, SmcdReason.MEM, SmcdReason.NONE);
            assertDecline(decline, SmcdReason.MEM);
            assertFallback(proposer.onBytes(decline.output()), SmcdReason.PEERDECL, SmcdReason.MEM);
            pair.assertReleased();
        }
    }

    @Test
    void wrongProposerDmbSizeIsDeclinedWithSyncerr() throws Exception {
        try (TestDomain td = TestDomain.create(); HandshakePair pair = new HandshakePair(td)) {
            IsmDevice lo = new LoopbackIsmDevice(td.domain());
            ClcProposerHandshake proposer = pair.proposer(List.of(lo));
            ClcAcceptorHandshake acceptor = pair.acceptor(List.of(lo));
            acceptor.start();
            ClcProposal p = (ClcProposal) decode(proposer.start().output());
            ClcProposal tampered = new ClcProposal(p.senderGid(), p.devices(), p.eids(), p.dmbToken(),
                    p.dmbSizeCode() + 1, p.dmbGeneration());

            ClcHandshakeStep decline = acceptor.onBytes(ByteBuffer.wrap(ClcCodec.encode(tampered)));
            assertFallback(decline, SmcdReason.SYNCERR, SmcdReason.NONE);
            assertFallback(proposer.onBytes(decline.output()), SmcdReason.PEERDECL, SmcdReason.SYNCERR);
            pair.assertReleased();
        }
    }

    @Test
    void acceptorAtItsDmbLimitDeclinesWithMaxDmb() throws Exception {
        try (TestDomain td = TestDomain.create();
             HandshakePair pair = new HandshakePair(td, 1, LinkGroups.DEFAULT_MAX_DMBS, LinkGroups.DEFAULT_LINGER_NANOS)) {
            IsmDevice lo = new LoopbackIsmDevice(td.domain());
            OwnedDmb occupying = pair.acceptorGroups.leaseRmb(ProcessIdentity.current(), DmbSize.sizeOf(1));
            ClcProposerHandshake proposer = pair.proposer(List.of(lo));
            ClcAcceptorHandshake acceptor = pair.acceptor(List.of(lo));
            acceptor.start();

            ClcHandshakeStep decline = acceptor.onBytes(proposer.start().output());
            assertFallback(decline, SmcdReason.MAX_DMB, SmcdReason.NONE);
            assertDecline(decline, SmcdReason.MAX_DMB);
            assertFallback(proposer.onBytes(decline.output()), SmcdReason.PEERDECL, SmcdReason.MAX_DMB);

            occupying.releaseUnused();
            pair.assertReleased();
        }
    }

    @Test
    void proposerAtItsDmbLimitDeclinesBeforeProposing() throws Exception {
        try (TestDomain td = TestDomain.create();
             HandshakePair pair = new HandshakePair(td, LinkGroups.DEFAULT_MAX_DMBS, 1, LinkGroups.DEFAULT_LINGER_NANOS)) {
            IsmDevice lo = new LoopbackIsmDevice(td.domain());
            OwnedDmb occupying = pair.proposerGroups.leaseRmb(ProcessIdentity.current(), DmbSize.sizeOf(1));
            ClcProposerHandshake proposer = pair.proposer(List.of(lo));
            ClcAcceptorHandshake acceptor = pair.acceptor(List.of(lo));
            acceptor.start();

            ClcHandshakeStep decline = proposer.start();
            assertFallback(decline, SmcdReason.MAX_DMB, SmcdReason.NONE);
            assertDecline(decline, SmcdReason.MAX_DMB);
            assertFallback(acceptor.onBytes(decline.output()), SmcdReason.PEERDECL, SmcdReason.MAX_DMB);

            occupying.releaseUnused();
            pair.assertReleased();
        }
    }

    @Test
    void garbageInsteadOfProposalFallsBackWithSyncerr() throws Exception {
        try (TestDomain td = TestDomain.create(); HandshakePair pair = new HandshakePair(td)) {
            IsmDevice lo = new LoopbackIsmDevice(td.domain());
            ClcProposerHandshake proposer = pair.proposer(List.of(lo));
            ClcAcceptorHandshake acceptor = pair.acceptor(List.of(lo));
            acceptor.start();
            proposer.start();

            ByteBuffer garbage = ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            ClcHandshakeStep decline = acceptor.onBytes(garbage);
            assertFallback(decline, SmcdReason.SYNCERR, SmcdReason.NONE);
            assertDecline(decline, SmcdReason.SYNCERR);
            assertEquals(0, garbage.position(), "bytes that are not CLC at all are left to the caller");
            assertFallback(proposer.onBytes(decline.output()), SmcdReason.PEERDECL, SmcdReason.SYNCERR);
            pair.assertReleased();
        }
    }

    @Test
    void garbageInsteadOfAcceptFailsTheProposer() throws Exception {
        try (TestDomain td = TestDomain.create();
             HandshakePair pair = new HandshakePair(td, LinkGroups.DEFAULT_MAX_DMBS, LinkGroups.DEFAULT_MAX_DMBS, 0)) {
            IsmDevice lo = new LoopbackIsmDevice(td.domain());
            ClcProposerHandshake proposer = pair.proposer(List.of(lo));
            proposer.start();

            ClcHandshakeStep failed = proposer.onBytes(ByteBuffer.wrap(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
            assertEquals(Status.FAILED, failed.status(), "an acceptor may run SMC-D after its Accept: " + failed);
            assertEquals(SmcdReason.SYNCERR, failed.failure().reasonCode());
            assertFalse(failed.hasOutput());
            assertEquals(1, pair.proposerGroups.group(ProcessIdentity.current()).drainingDmbs(),
                    "the RMB waits for the acceptor's close flag, as it may have written into it");
            pair.proposerGroups.sweep();
            assertEquals(0, pair.proposerGroups.ownDmbs(), "with no close flag past the linger time it is retired");
            pair.assertReleased();
        }
    }

    @Test
    void unexpectedMessagesAreRefused() throws Exception {
        try (TestDomain td = TestDomain.create(); HandshakePair pair = new HandshakePair(td)) {
            IsmDevice lo = new LoopbackIsmDevice(td.domain());
            ClcProposerHandshake proposer = pair.proposer(List.of(lo));
            ClcAcceptorHandshake acceptor = pair.acceptor(List.of(lo));
            acceptor.start();
            ByteBuffer proposal = proposer.start().output();

            // The proposer gets its own Proposal back; the acceptor gets an Accept first.
            ClcHandshakeStep proposerDone = proposer.onBytes(proposal.duplicate());
            assertEquals(Status.FAILED, proposerDone.status(), proposerDone.toString());
            assertEquals(SmcdReason.SYNCERR, proposerDone.failure().reasonCode());
            ClcAcceptConfirm accept = new ClcAcceptConfirm(ClcAcceptConfirm.ACCEPT, lo.localGid(), 1, 0, 1, 0,
                    LoopbackIsmDevice.CHID, SmcdEid.of(lo.localGid()), true);
            ClcHandshakeStep acceptorDone = acceptor.onBytes(ByteBuffer.wrap(ClcCodec.encode(accept)));
            assertFallback(acceptorDone, SmcdReason.SYNCERR, SmcdReason.NONE);
            assertDecline(acceptorDone, SmcdReason.SYNCERR);
            pair.close();
            pair.proposerGroups.sweep();
        }
    }

    @Test
    void firstContactAcceptOfADeviceNotOfferedIsDeclined() throws Exception {
        try (TestDomain td = TestDomain.create(); HandshakePair pair = new HandshakePair(td)) {
            IsmDevice lo = new LoopbackIsmDevice(td.domain());
            ClcProposerHandshake proposer = pair.proposer(List.of(lo));
            ClcAcceptorHandshake acceptor = pair.acceptor(List.of(lo));
            acceptor.start();
            ClcAcceptConfirm a = (ClcAcceptConfirm) decode(acceptor.onBytes(proposer.start().output()).output());
            assertTrue(a.firstContact());
            ClcAcceptConfirm tampered = new ClcAcceptConfirm(a.type(), a.gid(), a.dmbToken(), a.dmbSizeCode(),
                    a.dmbGeneration(), a.linkId(), CopyIsmDevice.CHID, a.eid(), a.firstContact());

            ClcHandshakeStep decline = proposer.onBytes(ByteBuffer.wrap(ClcCodec.encode(tampered)));
            assertFallback(decline, SmcdReason.NOSMCD2DEV, SmcdReason.NONE);
            assertFallback(acceptor.onBytes(decline.output()), SmcdReason.PEERDECL, SmcdReason.NOSMCD2DEV);
            pair.assertReleased();
        }
    }

    @Test
    void acceptWithoutFirstContactOfADmbNotMappedFailsTheProposer() throws Exception {
        try (TestDomain td = TestDomain.create(); HandshakePair pair = new HandshakePair(td)) {
            IsmDevice lo = new LoopbackIsmDevice(td.domain());
            ClcProposerHandshake proposer = pair.proposer(List.of(lo));
            ClcAcceptorHandshake acceptor = pair.acceptor(List.of(lo));
            acceptor.start();
            ClcAcceptConfirm a = (ClcAcceptConfirm) decode(acceptor.onBytes(proposer.start().output()).output());
            ClcAcceptConfirm lying = new ClcAcceptConfirm(a.type(), a.gid(), a.dmbToken(), a.dmbSizeCode(),
                    a.dmbGeneration(), a.linkId(), a.chid(), a.eid(), false);

            ClcHandshakeStep failed = proposer.onBytes(ByteBuffer.wrap(ClcCodec.encode(lying)));
            assertEquals(Status.FAILED, failed.status(), failed.toString());
            assertEquals(SmcdReason.SYNCERR, failed.failure().reasonCode());
            assertEquals(Status.FAILED, acceptor.fallBack(SmcdReason.TIMEOUT_CLC).status());
            pair.assertReleased();
        }
    }

    @Test
    void proposalWithoutTheDomainEidIsDeclinedWithNoueid() throws Exception {
        try (TestDomain td = TestDomain.create(); HandshakePair pair = new HandshakePair(td)) {
            IsmDevice lo = new LoopbackIsmDevice(td.domain());
            ClcProposerHandshake proposer = pair.proposer(List.of(lo));
            ClcAcceptorHandshake acceptor = pair.acceptor(List.of(lo));
            acceptor.start();
            ClcProposal p = (ClcProposal) decode(proposer.start().output());
            ClcProposal tampered = new ClcProposal(p.senderGid(), p.devices(), List.of("SMCD-OTHER"), p.dmbToken(),
                    p.dmbSizeCode(), p.dmbGeneration());

            ClcHandshakeStep decline = acceptor.onBytes(ByteBuffer.wrap(ClcCodec.encode(tampered)));
            assertFallback(decline, SmcdReason.NOUEID, SmcdReason.NONE);
            assertFallback(proposer.onBytes(decline.output()), SmcdReason.PEERDECL, SmcdReason.NOUEID);
            pair.assertReleased();
        }
    }

    @Test
    void timeoutWhileWaitingForAcceptFailsAndTheRmbWaitsForTheAcceptor() throws Exception {
        try (TestDomain td = TestDomain.create(); HandshakePair pair = new HandshakePair(td)) {
            IsmDevice lo = new LoopbackIsmDevice(td.domain());
            SmcdConnection[] warm = connect(pair, lo);
            warm[0].close();
            warm[1].close();
            ClcProposerHandshake proposer = pair.proposer(List.of(lo));
            ClcAcceptorHandshake acceptor = pair.acceptor(List.of(lo));
            acceptor.start();
            ClcHandshakeStep proposal = proposer.start();
            // The acceptor answers, and (no first contact) runs over SMC-D at once; the proposer's timer fires first.
            ClcHandshakeStep accept = acceptor.onBytes(proposal.output());
            assertEquals(Status.SMCD, accept.status());

            ClcHandshakeStep failed = proposer.fallBack(SmcdReason.TIMEOUT_CLC);
            assertEquals(Status.FAILED, failed.status(), failed.toString());
            assertEquals(SmcdReason.TIMEOUT_CLC, failed.failure().reasonCode());
            assertFalse(failed.hasOutput());
            assertEquals(Status.FAILED, proposer.fallBack(SmcdReason.TIMEOUT_CLC).status(), "idempotent");
            assertEquals(1, pair.proposerGroups.group(ProcessIdentity.current()).drainingDmbs());

            // The acceptor wrote into the proposer's RMB; the reset reaches it and it closes, releasing the RMB.
            accept.connection().write(ByteBuffer.wrap(new byte[100]));
            accept.connection().abort();
            SmcdConnection[] next = connect(pair, lo);
            assertEquals(0, next[0].readableBytes(), "the RMB came back reset: " + next[0]);
            assertRingZeroed(next[0]);
            next[0].close();
            next[1].close();
            pair.assertReleased();
        }
    }

    @Test
    void timeoutBeforeProposalDeclines() throws Exception {
        try (TestDomain td = TestDomain.create(); HandshakePair pair = new HandshakePair(td)) {
            ClcAcceptorHandshake acceptor = pair.acceptor(List.of(new LoopbackIsmDevice(td.domain())));
            acceptor.start();
            ClcHandshakeStep decline = acceptor.fallBack(SmcdReason.TIMEOUT_CLC);
            assertFallback(decline, SmcdReason.TIMEOUT_CLC, SmcdReason.NONE);
            assertDecline(decline, SmcdReason.TIMEOUT_CLC);
            pair.assertReleased();
        }
    }

    @Test
    void timeoutWhileWaitingForConfirmFailsAndAbortsWhatALateConfirmStarts() throws Exception {
        try (TestDomain td = TestDomain.create(); HandshakePair pair = new HandshakePair(td)) {
            IsmDevice lo = new LoopbackIsmDevice(td.domain());
            ClcProposerHandshake proposer = pair.proposer(List.of(lo));
            ClcAcceptorHandshake acceptor = pair.acceptor(List.of(lo));
            acceptor.start();
            ClcHandshakeStep accept = acceptor.onBytes(proposer.start().output());
            assertEquals(Status.RUNNING, accept.status());

            ClcHandshakeStep failed = acceptor.fallBack(SmcdReason.TIMEOUT_CLC);
            assertEquals(Status.FAILED, failed.status(), failed.toString());
            assertFalse(failed.hasOutput(), "the proposer may run SMC-D already: no Decline");
            assertEquals(SmcdReason.TIMEOUT_CLC, failed.failure().reasonCode());

            // The Accept still reaches the proposer, which starts SMC-D and at once sees the acceptor's abort.
            ClcHandshakeStep late = proposer.onBytes(accept.output());
            assertEquals(Status.SMCD, late.status(), late.toString());
            SmcdException e = assertThrows(SmcdException.class, () -> late.connection().readableBytes());
            assertEquals(SmcdReason.PEER_ABORT, e.reasonCode());
            late.connection().close();
            pair.assertReleased();
        }
    }

    @Test
    void mismatchingConfirmFailsTheAcceptorAndAbortsTheProposer() throws Exception {
        try (TestDomain td = TestDomain.create(); HandshakePair pair = new HandshakePair(td)) {
            IsmDevice lo = new LoopbackIsmDevice(td.domain());
            ClcProposerHandshake proposer = pair.proposer(List.of(lo));
            ClcAcceptorHandshake acceptor = pair.acceptor(List.of(lo));
            acceptor.start();
            ClcHandshakeStep confirm = proposer.onBytes(acceptor.onBytes(proposer.start().output()).output());
            assertEquals(Status.SMCD, confirm.status());
            ClcAcceptConfirm c = (ClcAcceptConfirm) decode(confirm.output());
            ClcAcceptConfirm tampered = new ClcAcceptConfirm(c.type(), c.gid(), c.dmbToken() + 1, c.dmbSizeCode(),
                    c.dmbGeneration(), c.linkId(), c.chid(), c.eid(), c.firstContact());

            ClcHandshakeStep failed = acceptor.onBytes(ByteBuffer.wrap(ClcCodec.encode(tampered)));
            assertEquals(Status.FAILED, failed.status(), failed.toString());
            assertFalse(failed.hasOutput());
            assertNull(failed.connection());
            assertNotNull(failed.failure());
            assertEquals(SmcdReason.SYNCERR, failed.failure().reasonCode());
            assertEquals(SmcdReason.SYNCERR, failed.localReason());
            assertEquals(Status.FAILED, acceptor.fallBack(SmcdReason.TIMEOUT_CLC).status());

            SmcdException e = assertThrows(SmcdException.class, () -> confirm.connection().writableBytes());
            assertEquals(SmcdReason.PEER_ABORT, e.reasonCode());
            confirm.connection().close();
            pair.assertReleased();
        }
    }

    @Test
    void malformedMessageAfterAcceptFailsTheAcceptor() throws Exception {
        try (TestDomain td = TestDomain.create(); HandshakePair pair = new HandshakePair(td)) {
            IsmDevice lo = new LoopbackIsmDevice(td.domain());
            ClcProposerHandshake proposer = pair.proposer(List.of(lo));
            ClcAcceptorHandshake acceptor = pair.acceptor(List.of(lo));
            acceptor.start();
            acceptor.onBytes(proposer.start().output());

            ClcHandshakeStep failed = acceptor.onBytes(ByteBuffer.wrap(new byte[16]));
            assertEquals(Status.FAILED, failed.status(), failed.toString());
            assertEquals(SmcdReason.SYNCERR, failed.failure().reasonCode());
            assertEquals(Status.FAILED, proposer.fallBack(SmcdReason.PEER_ABORT).status());
            pair.assertReleased();
        }
    }

    @Test
    void argumentsAreChecked() throws Exception {
        try (TestDomain td = TestDomain.create(); LinkGroups groups = new LinkGroups(td.domain())) {
            LoopbackIsmDevice lo = new LoopbackIsmDevice(td.domain());
            LoopbackIsmDevice lo2 = new LoopbackIsmDevice(td.domain());
            ProcessIdentity self = ProcessIdentity.current();
            assertThrows(IllegalArgumentException.class,
                    () -> new ClcProposerHandshake(List.of(), groups, self, PROPOSER_RING, () -> { }));
            assertThrows(IllegalArgumentException.class,
                    () -> new ClcProposerHandshake(List.of(lo, lo2), groups, self, PROPOSER_RING, () -> { }));
            assertThrows(IllegalArgumentException.class,
                    () -> new ClcProposerHandshake(List.of(lo), groups, null, PROPOSER_RING, () -> { }));
            assertThrows(IllegalArgumentException.class, () -> new ClcAcceptorHandshake(List.of(lo), groups, 1000, () -> { }));
            assertThrows(IllegalArgumentException.class,
                    () -> new ClcAcceptorHandshake(List.of(lo), groups, PROPOSER_RING, null));
            assertThrows(IllegalArgumentException.class, () -> new ClcAcceptorHandshake(List.of(lo), null, PROPOSER_RING,
                    () -> { }));
            ClcProposerHandshake proposer = new ClcProposerHandshake(List.of(lo), groups, self, PROPOSER_RING, () -> { });
            assertThrows(IllegalStateException.class, () -> proposer.onBytes(ByteBuffer.allocate(0)));
            ClcHandshakeStep decline = proposer.fallBack(SmcdReason.TIMEOUT_CLC);
            assertDecline(decline, SmcdReason.TIMEOUT_CLC);
            assertThrows(IllegalStateException.class, proposer::start);
            assertEquals(List.of(), td.leftoverFiles());
        }
    }

    @Test
    void eidIsDerivedFromTheDomainGid() {
        String eid = SmcdEid.of(new Gid(0x0123456789ABCDEFL, 42));
        assertEquals("SMCD-0123456789ABCDEF", eid);
        assertEquals(SmcdEid.LENGTH, eid.length());
        assertEquals("SMCD-FFFFFFFFFFFFFFFF", SmcdEid.of(new Gid(-1, 0)));
    }

    private static void roundTrip(SmcdConnection from, SmcdConnection to, String text) throws SmcdException {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        assertEquals(bytes.length, from.write(ByteBuffer.wrap(bytes)));
        ByteBuffer dst = ByteBuffer.allocate(bytes.length * 2);
        assertEquals(bytes.length, to.read(dst));
        assertArrayEquals(bytes, Arrays.copyOf(dst.array(), dst.position()));
    }

    private static ClcMessage decode(ByteBuffer bytes) throws ClcFormatException {
        return ClcCodec.decode(bytes.duplicate());
    }

    private static void assertFallback(ClcHandshakeStep step, int local, int peer) {
        assertEquals(Status.FALLBACK, step.status(), step.toString());
        assertEquals(SmcdReason.name(local), SmcdReason.name(step.localReason()), step.toString());
        assertEquals(SmcdReason.name(peer), SmcdReason.name(step.peerReason()), step.toString());
        assertNull(step.connection());
    }

    private static void assertDecline(ClcHandshakeStep step, int reason) throws ClcFormatException {
        assertTrue(step.hasOutput(), step.toString());
        ClcMessage m = decode(step.output());
        assertEquals(new ClcDecline(reason), m);
    }


    /** One full handshake on {@code device} (three messages or two): the proposer's and the acceptor's connection. */
    private static SmcdConnection[] connect(HandshakePair pair, IsmDevice device) {
        ClcProposerHandshake proposer = pair.proposer(List.of(device));
        ClcAcceptorHandshake acceptor = pair.acceptor(List.of(device));
        acceptor.start();
        ClcHandshakeStep accept = acceptor.onBytes(proposer.start().output());
        ClcHandshakeStep proposerDone = proposer.onBytes(accept.output());
        assertEquals(Status.SMCD, proposerDone.status(), proposerDone.toString());
        ClcHandshakeStep acceptorDone = accept.isDone() ? accept : acceptor.onBytes(proposerDone.output());
        assertEquals(Status.SMCD, acceptorDone.status(), acceptorDone.toString());
        return new SmcdConnection[] {proposerDone.connection(), acceptorDone.connection()};
    }

    /** Every byte of the connection's RMB ring is zero: nothing of an earlier lease is visible. */
    private static void assertRingZeroed(SmcdConnection connection) {
        ByteBuffer ring = connection.rmb().buffer();
        for (int i = DmbDescriptor.RING_OFFSET; i < ring.capacity(); i++) {
            if (ring.get(i) != 0) {
                throw new AssertionError("byte " + (i - DmbDescriptor.RING_OFFSET) + " of " + connection.rmb()
                        + " is " + ring.get(i) + ": a previous lease's data is visible");
            }
        }
    }
}
