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
import io.smcd.sim.DmbSegment;
import io.smcd.sim.Gid;
import io.smcd.sim.LoopbackIsmDevice;
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
import io.smcd.sim.testing.TestDomain;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Proposer and acceptor handshakes wired back to back in one JVM, bytes passed by hand between them. */
class ClcHandshakeTest {
    private static final int PROPOSER_RING = 64 * 1024;
    private static final int ACCEPTOR_RING = 32 * 1024;
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

    private final AtomicInteger acceptorDoorbell = new AtomicInteger();
    private final AtomicInteger proposerDoorbell = new AtomicInteger();

    private ClcProposerHandshake proposer(List<CountingDevice> devices) {
        return new ClcProposerHandshake(devices, PROPOSER_RING, acceptorDoorbell::incrementAndGet);
    }

    private ClcAcceptorHandshake acceptor(List<CountingDevice> devices) {
        return new ClcAcceptorHandshake(devices, ACCEPTOR_RING, proposerDoorbell::incrementAndGet);
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
    void bothSidesRunSmcdOnTheProposersPreferredDevice(boolean loopbackFirst, Delivery delivery) throws Exception {
        try (TestDomain td = TestDomain.create()) {
            CountingDevice cLo = new CountingDevice(new LoopbackIsmDevice(td.domain()));
            CountingDevice cCopy = new CountingDevice(new CopyIsmDevice(td.domain()));
            CountingDevice sLo = new CountingDevice(new LoopbackIsmDevice(td.domain()));
            CountingDevice sCopy = new CountingDevice(new CopyIsmDevice(td.domain()));
            ClcProposerHandshake proposer = proposer(loopbackFirst ? List.of(cLo, cCopy) : List.of(cCopy, cLo));
            ClcAcceptorHandshake acceptor = acceptor(List.of(sCopy, sLo));
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
            assertTrue(accept.hasOutput());
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

            roundTrip(c, s, "hello from the proposer");
            roundTrip(s, c, "hello from the acceptor");

            c.close();
            s.close();
            for (CountingDevice d : List.of(cLo, cCopy, sLo, sCopy)) {
                assertEquals(0, d.held(), d.toString());
            }
            assertEquals(List.of(), td.leftoverFiles());
        }
    }

    @Test
    void secondOfferedDeviceIsChosenAndTheRmbGoesBackToTheDeviceThatRegisteredIt() throws Exception {
        try (TestDomain td = TestDomain.create()) {
            CountingDevice cLo = new CountingDevice(new LoopbackIsmDevice(td.domain()));
            CountingDevice cCopy = new CountingDevice(new CopyIsmDevice(td.domain()));
            CountingDevice sLo = new CountingDevice(new LoopbackIsmDevice(td.domain()));
            ClcProposerHandshake proposer = proposer(List.of(cCopy, cLo));
            ClcAcceptorHandshake acceptor = acceptor(List.of(sLo));
            acceptor.start();
            ClcHandshakeStep confirm = proposer.onBytes(acceptor.onBytes(proposer.start().output()).output());
            assertEquals(Status.SMCD, confirm.status(), confirm.toString());
            ClcHandshakeStep done = acceptor.onBytes(confirm.output());
            assertEquals(Status.SMCD, done.status(), done.toString());
            assertSame(cLo, confirm.device());
            assertEquals(LoopbackIsmDevice.CHID, confirm.connection().device().chid());
            assertTrue(confirm.connection().device().supportsNocopy());
            assertEquals(1, cCopy.registered, "the RMB was registered through the first offered device");
            assertEquals(1, cLo.attached);

            roundTrip(confirm.connection(), done.connection(), "over the second device");
            roundTrip(done.connection(), confirm.connection(), "and back");
            confirm.connection().close();
            done.connection().close();
            assertReleased(td, cLo, cCopy, sLo);
        }
    }

    @Test
    void noCommonDeviceFallsBackOnBothSides() throws Exception {
        try (TestDomain td = TestDomain.create()) {
            CountingDevice cLo = new CountingDevice(new LoopbackIsmDevice(td.domain()));
            CountingDevice sCopy = new CountingDevice(new CopyIsmDevice(td.domain()));
            ClcProposerHandshake proposer = proposer(List.of(cLo));
            ClcAcceptorHandshake acceptor = acceptor(List.of(sCopy));
            acceptor.start();
            ClcHandshakeStep decline = acceptor.onBytes(proposer.start().output());

            assertFallback(decline, SmcdReason.NOSMCD2DEV, SmcdReason.NONE);
            assertDecline(decline, SmcdReason.NOSMCD2DEV);
            ClcHandshakeStep proposerDone = proposer.onBytes(decline.output());
            assertFallback(proposerDone, SmcdReason.PEERDECL, SmcdReason.NOSMCD2DEV);
            assertFalse(proposerDone.hasOutput());
            assertReleased(td, cLo, sCopy);
        }
    }

    @Test
    void unreachableProposerDmbIsDeclinedWithMem() throws Exception {
        try (TestDomain td = TestDomain.create()) {
            CountingDevice cLo = new CountingDevice(new LoopbackIsmDevice(td.domain()));
            CountingDevice sLo = new CountingDevice(new LoopbackIsmDevice(td.domain()));
            ClcProposerHandshake proposer = proposer(List.of(cLo));
            ClcAcceptorHandshake acceptor = acceptor(List.of(sLo));
            acceptor.start();
            ClcProposal p = (ClcProposal) decode(proposer.start().output());
            ClcProposal tampered = new ClcProposal(p.senderGid(), p.devices(), p.eids(), p.dmbToken() ^ 0x5A5A,
                    p.dmbSizeCode());

            ClcHandshakeStep decline = acceptor.onBytes(ByteBuffer.wrap(ClcCodec.encode(tampered)));
            assertFallback(decline, SmcdReason.MEM, SmcdReason.NONE);
            assertDecline(decline, SmcdReason.MEM);
            assertFallback(proposer.onBytes(decline.output()), SmcdReason.PEERDECL, SmcdReason.MEM);
            assertReleased(td, cLo, sLo);
        }
    }

    @Test
    void wrongProposerDmbSizeIsDeclinedWithSyncerr() throws Exception {
        try (TestDomain td = TestDomain.create()) {
            CountingDevice cLo = new CountingDevice(new LoopbackIsmDevice(td.domain()));
            CountingDevice sLo = new CountingDevice(new LoopbackIsmDevice(td.domain()));
            ClcProposerHandshake proposer = proposer(List.of(cLo));
            ClcAcceptorHandshake acceptor = acceptor(List.of(sLo));
            acceptor.start();
            ClcProposal p = (ClcProposal) decode(proposer.start().output());
            ClcProposal tampered = new ClcProposal(p.senderGid(), p.devices(), p.eids(), p.dmbToken(),
                    p.dmbSizeCode() + 1);

            ClcHandshakeStep decline = acceptor.onBytes(ByteBuffer.wrap(ClcCodec.encode(tampered)));
            assertFallback(decline, SmcdReason.SYNCERR, SmcdReason.NONE);
            assertFallback(proposer.onBytes(decline.output()), SmcdReason.PEERDECL, SmcdReason.SYNCERR);
            assertReleased(td, cLo, sLo);
        }
    }

    @Test
    void acceptorAtItsDmbLimitDeclinesWithMaxDmb() throws Exception {
        try (TestDomain td = TestDomain.create()) {
            CountingDevice cLo = new CountingDevice(new LoopbackIsmDevice(td.domain()));
            CountingDevice sLo = new CountingDevice(new LoopbackIsmDevice(td.domain(), 1));
            DmbSegment occupying = sLo.registerDmb(ACCEPTOR_RING);
            ClcProposerHandshake proposer = proposer(List.of(cLo));
            ClcAcceptorHandshake acceptor = acceptor(List.of(sLo));
            acceptor.start();

            ClcHandshakeStep decline = acceptor.onBytes(proposer.start().output());
            assertFallback(decline, SmcdReason.MAX_DMB, SmcdReason.NONE);
            assertDecline(decline, SmcdReason.MAX_DMB);
            assertEquals(0, sLo.attached, "the proposer's DMB must be detached again");
            assertFallback(proposer.onBytes(decline.output()), SmcdReason.PEERDECL, SmcdReason.MAX_DMB);

            sLo.unregisterDmb(occupying);
            assertReleased(td, cLo, sLo);
        }
    }

    @Test
    void proposerAtItsDmbLimitDeclinesInsteadOfProposing() throws Exception {
        try (TestDomain td = TestDomain.create()) {
            CountingDevice cLo = new CountingDevice(new LoopbackIsmDevice(td.domain(), 1));
            CountingDevice sLo = new CountingDevice(new LoopbackIsmDevice(td.domain()));
            DmbSegment occupying = cLo.registerDmb(PROPOSER_RING);
            ClcProposerHandshake proposer = proposer(List.of(cLo));
            ClcAcceptorHandshake acceptor = acceptor(List.of(sLo));
            acceptor.start();

            ClcHandshakeStep decline = proposer.start();
            assertFallback(decline, SmcdReason.MAX_DMB, SmcdReason.NONE);
            assertDecline(decline, SmcdReason.MAX_DMB);
            assertFallback(acceptor.onBytes(decline.output()), SmcdReason.PEERDECL, SmcdReason.MAX_DMB);

            cLo.unregisterDmb(occupying);
            assertReleased(td, cLo, sLo);
        }
    }

    @Test
    void garbageInsteadOfProposalFallsBackWithSyncerr() throws Exception {
        try (TestDomain td = TestDomain.create()) {
            CountingDevice cLo = new CountingDevice(new LoopbackIsmDevice(td.domain()));
            CountingDevice sLo = new CountingDevice(new LoopbackIsmDevice(td.domain()));
            ClcProposerHandshake proposer = proposer(List.of(cLo));
            ClcAcceptorHandshake acceptor = acceptor(List.of(sLo));
            acceptor.start();
            proposer.start();

            ByteBuffer garbage = ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            ClcHandshakeStep decline = acceptor.onBytes(garbage);
            assertFallback(decline, SmcdReason.SYNCERR, SmcdReason.NONE);
            assertDecline(decline, SmcdReason.SYNCERR);
            assertEquals(0, garbage.position(), "bytes that are not CLC at all are left to the caller");
            assertFallback(proposer.onBytes(decline.output()), SmcdReason.PEERDECL, SmcdReason.SYNCERR);
            assertReleased(td, cLo, sLo);
        }
    }

    @Test
    void garbageInsteadOfAcceptFallsBackWithSyncerr() throws Exception {
        try (TestDomain td = TestDomain.create()) {
            CountingDevice cLo = new CountingDevice(new LoopbackIsmDevice(td.domain()));
            CountingDevice sLo = new CountingDevice(new LoopbackIsmDevice(td.domain()));
            ClcProposerHandshake proposer = proposer(List.of(cLo));
            ClcAcceptorHandshake acceptor = acceptor(List.of(sLo));
            acceptor.start();
            ClcHandshakeStep accept = acceptor.onBytes(proposer.start().output());
            assertEquals(Status.RUNNING, accept.status());
            assertEquals(1, sLo.registered);
            assertEquals(1, sLo.attached);

            ClcHandshakeStep decline = proposer.onBytes(ByteBuffer.wrap(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
            assertFallback(decline, SmcdReason.SYNCERR, SmcdReason.NONE);
            assertDecline(decline, SmcdReason.SYNCERR);
            assertFallback(acceptor.onBytes(decline.output()), SmcdReason.PEERDECL, SmcdReason.SYNCERR);
            assertReleased(td, cLo, sLo);
        }
    }

    @Test
    void unexpectedMessagesAreDeclinedWithSyncerr() throws Exception {
        try (TestDomain td = TestDomain.create()) {
            CountingDevice cLo = new CountingDevice(new LoopbackIsmDevice(td.domain()));
            CountingDevice sLo = new CountingDevice(new LoopbackIsmDevice(td.domain()));
            ClcProposerHandshake proposer = proposer(List.of(cLo));
            ClcAcceptorHandshake acceptor = acceptor(List.of(sLo));
            acceptor.start();
            ByteBuffer proposal = proposer.start().output();

            // The proposer gets its own Proposal back; the acceptor gets an Accept first.
            ClcHandshakeStep proposerDone = proposer.onBytes(proposal.duplicate());
            assertFallback(proposerDone, SmcdReason.SYNCERR, SmcdReason.NONE);
            assertDecline(proposerDone, SmcdReason.SYNCERR);
            ClcAcceptConfirm accept = new ClcAcceptConfirm(ClcAcceptConfirm.ACCEPT, sLo.localGid(), 1, 0, 0,
                    LoopbackIsmDevice.CHID, SmcdEid.of(sLo.localGid()), true);
            ClcHandshakeStep acceptorDone = acceptor.onBytes(ByteBuffer.wrap(ClcCodec.encode(accept)));
            assertFallback(acceptorDone, SmcdReason.SYNCERR, SmcdReason.NONE);
            assertDecline(acceptorDone, SmcdReason.SYNCERR);
            assertReleased(td, cLo, sLo);
        }
    }

    @Test
    void acceptOfADeviceNotOfferedIsDeclined() throws Exception {
        try (TestDomain td = TestDomain.create()) {
            CountingDevice cLo = new CountingDevice(new LoopbackIsmDevice(td.domain()));
            CountingDevice sLo = new CountingDevice(new LoopbackIsmDevice(td.domain()));
            ClcProposerHandshake proposer = proposer(List.of(cLo));
            ClcAcceptorHandshake acceptor = acceptor(List.of(sLo));
            acceptor.start();
            ClcAcceptConfirm a = (ClcAcceptConfirm) decode(acceptor.onBytes(proposer.start().output()).output());
            ClcAcceptConfirm tampered = new ClcAcceptConfirm(a.type(), a.gid(), a.dmbToken(), a.dmbSizeCode(),
                    a.linkId(), CopyIsmDevice.CHID, a.eid(), a.firstContact());

            ClcHandshakeStep decline = proposer.onBytes(ByteBuffer.wrap(ClcCodec.encode(tampered)));
            assertFallback(decline, SmcdReason.NOSMCD2DEV, SmcdReason.NONE);
            assertFallback(acceptor.onBytes(decline.output()), SmcdReason.PEERDECL, SmcdReason.NOSMCD2DEV);
            assertReleased(td, cLo, sLo);
        }
    }

    @Test
    void proposalWithoutTheDomainEidIsDeclinedWithNoueid() throws Exception {
        try (TestDomain td = TestDomain.create()) {
            CountingDevice cLo = new CountingDevice(new LoopbackIsmDevice(td.domain()));
            CountingDevice sLo = new CountingDevice(new LoopbackIsmDevice(td.domain()));
            ClcProposerHandshake proposer = proposer(List.of(cLo));
            ClcAcceptorHandshake acceptor = acceptor(List.of(sLo));
            acceptor.start();
            ClcProposal p = (ClcProposal) decode(proposer.start().output());
            ClcProposal tampered = new ClcProposal(p.senderGid(), p.devices(), List.of("SMCD-OTHER"), p.dmbToken(),
                    p.dmbSizeCode());

            ClcHandshakeStep decline = acceptor.onBytes(ByteBuffer.wrap(ClcCodec.encode(tampered)));
            assertFallback(decline, SmcdReason.NOUEID, SmcdReason.NONE);
            assertFallback(proposer.onBytes(decline.output()), SmcdReason.PEERDECL, SmcdReason.NOUEID);
            assertReleased(td, cLo, sLo);
        }
    }

    @Test
    void timeoutWhileWaitingForAcceptReleasesTheRmbAndDeclines() throws Exception {
        try (TestDomain td = TestDomain.create()) {
            CountingDevice cLo = new CountingDevice(new LoopbackIsmDevice(td.domain()));
            CountingDevice sLo = new CountingDevice(new LoopbackIsmDevice(td.domain()));
            ClcProposerHandshake proposer = proposer(List.of(cLo));
            ClcAcceptorHandshake acceptor = acceptor(List.of(sLo));
            acceptor.start();
            proposer.start();
            assertEquals(1, cLo.registered);
            assertEquals(1, td.leftoverFiles().size(), "the RMB file waits for the acceptor's attach");

            ClcHandshakeStep decline = proposer.fallBack(SmcdReason.TIMEOUT_CLC);
            assertFallback(decline, SmcdReason.TIMEOUT_CLC, SmcdReason.NONE);
            assertDecline(decline, SmcdReason.TIMEOUT_CLC);
            assertReleased(td, cLo, sLo);
            // Idempotent: a late timer or late bytes change nothing.
            ClcHandshakeStep again = proposer.fallBack(SmcdReason.TIMEOUT_CLC);
            assertFallback(again, SmcdReason.TIMEOUT_CLC, SmcdReason.NONE);
            assertFalse(again.hasOutput());

            assertFallback(acceptor.onBytes(decline.output()), SmcdReason.PEERDECL, SmcdReason.TIMEOUT_CLC);
            assertReleased(td, cLo, sLo);
        }
    }

    @Test
    void timeoutBeforeProposalDeclines() throws Exception {
        try (TestDomain td = TestDomain.create()) {
            CountingDevice sLo = new CountingDevice(new LoopbackIsmDevice(td.domain()));
            ClcAcceptorHandshake acceptor = acceptor(List.of(sLo));
            acceptor.start();
            ClcHandshakeStep decline = acceptor.fallBack(SmcdReason.TIMEOUT_CLC);
            assertFallback(decline, SmcdReason.TIMEOUT_CLC, SmcdReason.NONE);
            assertDecline(decline, SmcdReason.TIMEOUT_CLC);
            assertReleased(td, sLo);
        }
    }

    @Test
    void timeoutWhileWaitingForConfirmFailsAndReleasesBothDmbs() throws Exception {
        try (TestDomain td = TestDomain.create()) {
            CountingDevice cLo = new CountingDevice(new LoopbackIsmDevice(td.domain()));
            CountingDevice sLo = new CountingDevice(new LoopbackIsmDevice(td.domain()));
            ClcProposerHandshake proposer = proposer(List.of(cLo));
            ClcAcceptorHandshake acceptor = acceptor(List.of(sLo));
            acceptor.start();
            ClcHandshakeStep accept = acceptor.onBytes(proposer.start().output());
            assertEquals(2, sLo.held());

            ClcHandshakeStep failed = acceptor.fallBack(SmcdReason.TIMEOUT_CLC);
            assertEquals(Status.FAILED, failed.status(), failed.toString());
            assertFalse(failed.hasOutput(), "the proposer may run SMC-D already: no Decline");
            assertEquals(SmcdReason.TIMEOUT_CLC, failed.failure().reasonCode());
            assertEquals(0, sLo.held());

            // An Accept still in flight names a DMB that is gone: the proposer cannot attach it and declines
            // (into a connection the acceptor's transport aborts).
            ClcHandshakeStep late = proposer.onBytes(accept.output());
            assertFallback(late, SmcdReason.MEM, SmcdReason.NONE);
            assertReleased(td, cLo, sLo);
        }
    }

    @Test
    void mismatchingConfirmFailsTheAcceptorAndAbortsTheProposer() throws Exception {
        try (TestDomain td = TestDomain.create()) {
            CountingDevice cLo = new CountingDevice(new LoopbackIsmDevice(td.domain()));
            CountingDevice sLo = new CountingDevice(new LoopbackIsmDevice(td.domain()));
            ClcProposerHandshake proposer = proposer(List.of(cLo));
            ClcAcceptorHandshake acceptor = acceptor(List.of(sLo));
            acceptor.start();
            ClcHandshakeStep confirm = proposer.onBytes(acceptor.onBytes(proposer.start().output()).output());
            assertEquals(Status.SMCD, confirm.status());
            ClcAcceptConfirm c = (ClcAcceptConfirm) decode(confirm.output());
            ClcAcceptConfirm tampered = new ClcAcceptConfirm(c.type(), c.gid(), c.dmbToken() + 1, c.dmbSizeCode(),
                    c.linkId(), c.chid(), c.eid(), c.firstContact());

            ClcHandshakeStep failed = acceptor.onBytes(ByteBuffer.wrap(ClcCodec.encode(tampered)));
            assertEquals(Status.FAILED, failed.status(), failed.toString());
            assertFalse(failed.hasOutput());
            assertNull(failed.connection());
            assertNotNull(failed.failure());
            assertEquals(SmcdReason.SYNCERR, failed.failure().reasonCode());
            assertEquals(SmcdReason.SYNCERR, failed.localReason());
            assertEquals(0, sLo.held());
            assertEquals(Status.FAILED, acceptor.fallBack(SmcdReason.TIMEOUT_CLC).status());

            SmcdException e = assertThrows(SmcdException.class, () -> confirm.connection().writableBytes());
            assertEquals(SmcdReason.PEER_ABORT, e.reasonCode());
            confirm.connection().close();
            assertReleased(td, cLo, sLo);
        }
    }

    @Test
    void malformedMessageAfterAcceptFailsTheAcceptor() throws Exception {
        try (TestDomain td = TestDomain.create()) {
            CountingDevice cLo = new CountingDevice(new LoopbackIsmDevice(td.domain()));
            CountingDevice sLo = new CountingDevice(new LoopbackIsmDevice(td.domain()));
            ClcProposerHandshake proposer = proposer(List.of(cLo));
            ClcAcceptorHandshake acceptor = acceptor(List.of(sLo));
            acceptor.start();
            acceptor.onBytes(proposer.start().output());

            ClcHandshakeStep failed = acceptor.onBytes(ByteBuffer.wrap(new byte[16]));
            assertEquals(Status.FAILED, failed.status(), failed.toString());
            assertEquals(SmcdReason.SYNCERR, failed.failure().reasonCode());
            assertEquals(0, sLo.held());
            assertFallback(proposer.fallBack(SmcdReason.PEER_ABORT), SmcdReason.PEER_ABORT, SmcdReason.NONE);
            assertReleased(td, cLo, sLo);
        }
    }

    @Test
    void argumentsAreChecked() throws Exception {
        try (TestDomain td = TestDomain.create()) {
            LoopbackIsmDevice lo = new LoopbackIsmDevice(td.domain());
            LoopbackIsmDevice lo2 = new LoopbackIsmDevice(td.domain());
            assertThrows(IllegalArgumentException.class, () -> new ClcProposerHandshake(List.of(), PROPOSER_RING, () -> { }));
            assertThrows(IllegalArgumentException.class,
                    () -> new ClcProposerHandshake(List.of(lo, lo2), PROPOSER_RING, () -> { }));
            assertThrows(IllegalArgumentException.class, () -> new ClcAcceptorHandshake(List.of(lo), 1000, () -> { }));
            assertThrows(IllegalArgumentException.class, () -> new ClcAcceptorHandshake(List.of(lo), PROPOSER_RING, null));
            ClcProposerHandshake proposer = new ClcProposerHandshake(List.of(lo), PROPOSER_RING, () -> { });
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

    private static void assertReleased(TestDomain td, CountingDevice... devices) {
        for (CountingDevice d : devices) {
            assertEquals(0, d.held(), d.toString());
        }
        assertEquals(List.of(), td.leftoverFiles());
    }
}
