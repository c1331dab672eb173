package io.smcd.sim.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smcd.sim.CopyIsmDevice;
import io.smcd.sim.IsmDevice;
import io.smcd.sim.LoopbackIsmDevice;
import io.smcd.sim.ProcessIdentity;
import io.smcd.sim.SmcdConnection;
import io.smcd.sim.SmcdReason;
import io.smcd.sim.handshake.ClcHandshakeStep.Status;
import io.smcd.sim.registry.IntentAnswer;
import io.smcd.sim.registry.IntentOffer;
import io.smcd.sim.registry.PendingIntent;
import io.smcd.sim.testing.TestDomain;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The join of a connection to its link group without CLC, both sides in one JVM, with the intent slot stood in for by
 * the values that would travel through it. The pair first connects over CLC, which maps both DMBs.
 */
class LinkGroupJoinTest {
    private static final ProcessIdentity SELF = ProcessIdentity.current();

    @Test
    void aClientOffersNothingUntilTheServerMapsOneOfItsRmbs() throws Exception {
        try (TestDomain td = TestDomain.create(); HandshakePair pair = new HandshakePair(td)) {
            IsmDevice lo = new LoopbackIsmDevice(td.domain());
            LinkGroupJoin.Offer first = LinkGroupJoin.offer(pair.acceptorGroups, SELF, List.of(lo), HandshakePair.ACCEPTOR_RING);
            assertEquals(IntentOffer.NONE, first.intent());
            assertNull(first.rmb());
            assertEquals(0, pair.acceptorGroups.ownDmbs(), "no DMB is created just to offer one");
            pair.assertReleased();
        }
    }

    @Test
    void laterConnectionsJoinWithoutAnyClcMessageAndCarryBytesBothWays() throws Exception {
        try (TestDomain td = TestDomain.create(); HandshakePair pair = new HandshakePair(td)) {
            IsmDevice lo = new LoopbackIsmDevice(td.domain());
            IsmDevice copy = new CopyIsmDevice(td.domain());
            clcConnection(pair, lo);
            for (int round = 0; round < 5; round++) {
                LinkGroupJoin.Offer offer = LinkGroupJoin.offer(pair.acceptorGroups, SELF, List.of(copy, lo),
                        HandshakePair.ACCEPTOR_RING);
                assertTrue(offer.intent().hasRmb(), "round " + round + ": " + offer.intent());
                assertEquals(List.of(CopyIsmDevice.CHID, LoopbackIsmDevice.CHID), offer.intent().chids());
                LinkGroupJoin.Lease lease = LinkGroupJoin.serve(intent(offer.intent()), List.of(lo, copy),
                        pair.proposerGroups, HandshakePair.PROPOSER_RING);
                assertNotNull(lease, "round " + round);
                assertEquals(LoopbackIsmDevice.CHID, lease.answer().chid(), "the server's preference among the offered");
                SmcdConnection server = lease.connect(pair.proposerGroups, () -> { });
                ClcHandshakeStep joined = LinkGroupJoin.join(lease.answer(), offer, List.of(copy, lo), pair.acceptorGroups,
                        SELF, () -> { });
                assertEquals(Status.SMCD, joined.status(), joined.toString());
                assertSame(lo, joined.device());
                SmcdConnection client = joined.connection();
                roundTrip(client, server, "joined " + round);
                roundTrip(server, client, "and back " + round);
                client.close();
                server.close();
            }
            assertEquals(1, pair.acceptorGroups.rmbsCreated(), "every join reused the first contact's DMBs");
            assertEquals(1, pair.proposerGroups.rmbsCreated());
            assertEquals(List.of(), td.leftoverFiles());
            pair.assertReleased();
        }
    }

    @Test
    void withoutACommonDeviceOrWithABusyDmbTheServerLeavesItToClc() throws Exception {
        try (TestDomain td = TestDomain.create(); HandshakePair pair = new HandshakePair(td)) {
            IsmDevice lo = new LoopbackIsmDevice(td.domain());
            IsmDevice copy = new CopyIsmDevice(td.domain());
            clcConnection(pair, lo);
            LinkGroupJoin.Offer offer = LinkGroupJoin.offer(pair.acceptorGroups, SELF, List.of(lo), HandshakePair.ACCEPTOR_RING);
            assertNull(LinkGroupJoin.serve(intent(offer.intent()), List.of(copy), pair.proposerGroups,
                    HandshakePair.PROPOSER_RING), "no common device");
            LinkGroupJoin.Lease first = LinkGroupJoin.serve(intent(offer.intent()), List.of(lo), pair.proposerGroups,
                    HandshakePair.PROPOSER_RING);
            assertNotNull(first);
            assertNull(LinkGroupJoin.serve(intent(offer.intent()), List.of(lo), pair.proposerGroups,
                    HandshakePair.PROPOSER_RING), "the offered RMB is busy with the first");
            first.abandon();
            offer.withdraw();
            assertEquals(1, pair.acceptorGroups.group(SELF).freeDmbs(), "given back unused, lent again at once");
            pair.assertReleased();
        }
    }

    @Test
    void anAnswerNamingADmbNotMappedHereFailsTheClientAndItsRmbWaitsForTheServer() throws Exception {
        try (TestDomain td = TestDomain.create(); HandshakePair pair = new HandshakePair(td)) {
            IsmDevice lo = new LoopbackIsmDevice(td.domain());
            clcConnection(pair, lo);
            LinkGroupJoin.Offer offer = LinkGroupJoin.offer(pair.acceptorGroups, SELF, List.of(lo), HandshakePair.ACCEPTOR_RING);
            ClcHandshakeStep failed = LinkGroupJoin.join(new IntentAnswer(0x5A5A, 1, 1, LoopbackIsmDevice.CHID), offer,
                    List.of(lo), pair.acceptorGroups, SELF, () -> { });
            assertEquals(Status.FAILED, failed.status());
            assertEquals(SmcdReason.SYNCERR, failed.failure().reasonCode());
            assertEquals(1, pair.acceptorGroups.group(SELF).drainingDmbs(), "the server may have written into it");
            pair.close();
        }
    }

    @Test
    void anAnswerNamingADeviceNotOfferedFailsTheClient() throws Exception {
        try (TestDomain td = TestDomain.create(); HandshakePair pair = new HandshakePair(td)) {
            IsmDevice lo = new LoopbackIsmDevice(td.domain());
            clcConnection(pair, lo);
            LinkGroupJoin.Offer offer = LinkGroupJoin.offer(pair.acceptorGroups, SELF, List.of(lo), HandshakePair.ACCEPTOR_RING);
            ClcHandshakeStep failed = LinkGroupJoin.join(new IntentAnswer(1, 1, 1, 0x1234), offer, List.of(lo),
                    pair.acceptorGroups, SELF, () -> { });
            assertEquals(Status.FAILED, failed.status());
            assertTrue(failed.failure().getMessage().contains("not offered"), failed.failure().getMessage());
            pair.close();
        }
    }

    /** A first connection over CLC, closed at once: it leaves one DMB per side mapped by both. */
    private static void clcConnection(HandshakePair pair, IsmDevice device) {
        ClcProposerHandshake proposer = pair.proposer(List.of(device));
        ClcAcceptorHandshake acceptor = pair.acceptor(List.of(device));
        acceptor.start();
        ClcHandshakeStep accept = acceptor.onBytes(proposer.start().output());
        ClcHandshakeStep confirm = proposer.onBytes(accept.output());
        ClcHandshakeStep done = acceptor.onBytes(confirm.output());
        confirm.connection().close();
        done.connection().close();
    }

    private static PendingIntent intent(IntentOffer offer) throws Exception {
        InetSocketAddress local = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 40000);
        return new PendingIntent(0, 2, SELF, local, new InetSocketAddress(local.getAddress(), 8080), offer);
    }

    private static void roundTrip(SmcdConnection from, SmcdConnection to, String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        assertEquals(bytes.length, from.write(ByteBuffer.wrap(bytes)));
        ByteBuffer dst = ByteBuffer.allocate(bytes.length * 2);
        assertEquals(bytes.length, to.read(dst));
        assertArrayEquals(bytes, Arrays.copyOf(dst.array(), dst.position()));
    }
}
