package io.smcd.channel;

import io.smcd.sim.IsmDevice;
import io.smcd.sim.SmcdException;
import io.smcd.sim.SmcdReason;
import io.smcd.sim.handshake.ClcAcceptorHandshake;
import io.smcd.sim.handshake.ClcHandshakeStep;
import io.smcd.sim.handshake.LinkGroupJoin;
import io.smcd.sim.registry.ClientIntent;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The connecting side's negotiation. It published an intent before connecting, offering an idle RMB of its link group
 * with the server when it had one; the server speaks first, and only after claiming that intent. So the first bytes, or
 * the CLC timer, decide the intent:
 * <ul>
 *   <li>withdrawn: the server never claimed it; plain TCP, and the bytes are the server's data;</li>
 *   <li>claimed for CLC: the bytes are the server's Proposal and the client runs the acceptor side of the handshake;</li>
 *   <li>claimed and joined: the server answered in the intent's slot with its own RMB, already runs SMC-D, and the bytes
 *       are a doorbell; the client leases the answered RMB and runs SMC-D too, after no CLC message at all.</li>
 * </ul>
 */
final class ClientClcNegotiation extends ClcNegotiation {
    private final ClientIntent intent;
    private final LinkGroupJoin.Offer offer;
    private final List<IsmDevice> devices;
    private final ClcAcceptorHandshake handshake;
    private ClientIntent.Outcome outcome;
    private boolean published;

    ClientClcNegotiation(SmcdSocketChannel channel, SmcdDomainContext domain, ClientIntent intent,
            LinkGroupJoin.Offer offer, List<IsmDevice> devices, ClcAcceptorHandshake handshake, int timeoutMillis) {
        super(channel, domain, timeoutMillis);
        this.intent = intent;
        this.offer = offer;
        this.devices = devices;
        this.handshake = handshake;
        handshake.start();
    }

    /**
     * Publishes the intent with the socket's endpoint, once {@code connect()} has picked it ({@code local} null: not yet
     * known, try again later). A reservation the server's sweep took away means plain TCP at once.
     */
    void publish(InetSocketAddress local) {
        if (local == null || published || outcome != null) {
            return;
        }
        try {
            intent.publish(local);
            published = true;
        } catch (SmcdException e) {
            offer.withdraw();
            outcome = ClientIntent.Outcome.WITHDRAWN;
            fallBack(new SmcdFallbackReason(e.reasonCode(), SmcdReason.NONE, "cannot publish intent: " + e.getMessage()));
        }
    }

    /** The TCP connection is up: publishes the intent if it could not be before, and starts the CLC timer. */
    void connected(InetSocketAddress local) {
        publish(local);
        if (outcome == null) {
            startTimer();
        }
    }

    @Override
    SmcdFallbackReason beforeFirstBytes() throws SmcdException {
        return decide() == ClientIntent.Outcome.WITHDRAWN ? new SmcdFallbackReason(SmcdReason.PEERNOSMC, SmcdReason.NONE,
                "peer sent data without claiming the SMC-D intent") : null;
    }

    @Override
    ClcHandshakeStep onBytes(ByteBuffer bytes) {
        if (outcome == ClientIntent.Outcome.JOINED) {
            // What arrived is the server's doorbell for the joined connection: nothing for CLC to read.
            bytes.position(bytes.limit());
            return join();
        }
        return handshake.onBytes(bytes);
    }

    @Override
    ClcHandshakeStep onPeerClosed() {
        try {
            return decide() == ClientIntent.Outcome.JOINED ? join() : null;
        } catch (SmcdException e) {
            return null;
        }
    }

    @Override
    ClcHandshakeStep onTimeout() throws SmcdException {
        boolean undecided = outcome == null;
        ClientIntent.Outcome decided;
        try {
            decided = decide();
        } catch (SmcdException e) {
            if (!undecided) {
                throw e;
            }
            // The slot holds a state no server writes (another process of this user wrote into it). No byte came
            // within the timeout, so the server neither proposed nor joined, both of which it does at once: TCP is safe.
            fallBack(new SmcdFallbackReason(SmcdReason.SYNCERR, SmcdReason.NONE, e.getMessage()));
            return null;
        }
        if (decided == ClientIntent.Outcome.WITHDRAWN) {
            fallBack(new SmcdFallbackReason(SmcdReason.TIMEOUT_CLC, SmcdReason.NONE,
                    "peer did not claim the SMC-D intent within " + timeoutMillis + " ms"));
            return null;
        }
        if (decided == ClientIntent.Outcome.JOINED && undecided) {
            return join();
        }
        return handshake.fallBack(SmcdReason.TIMEOUT_CLC);
    }

    @Override
    void abandonHandshake() {
        boolean undecided = outcome == null;
        intent.close();
        if (undecided || outcome != ClientIntent.Outcome.JOINED) {
            offer.withdraw();
        }
        handshake.fallBack(SmcdReason.INTERR);
    }

    /** Decides the intent once; gives the offered RMB back unless the server joined it. */
    private ClientIntent.Outcome decide() throws SmcdException {
        if (outcome == null) {
            try {
                outcome = intent.decide();
            } catch (SmcdException e) {
                offer.withdraw();
                throw e;
            }
            if (outcome != ClientIntent.Outcome.JOINED) {
                offer.withdraw();
            }
        }
        return outcome;
    }

    private ClcHandshakeStep join() {
        return LinkGroupJoin.join(intent.answer(), offer, devices, domain.linkGroups(),
                intent.listener().record().owner(), new TcpDoorbell(channel.socket()));
    }
}
