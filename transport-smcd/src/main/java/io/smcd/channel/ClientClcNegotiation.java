package io.smcd.channel;

import io.smcd.sim.SmcdException;
import io.smcd.sim.SmcdReason;
import io.smcd.sim.handshake.ClcAcceptorHandshake;
import io.smcd.sim.handshake.ClcHandshakeStep;
import io.smcd.sim.registry.ClientIntent;
import java.nio.ByteBuffer;

/**
 * The connecting side's negotiation. It published an intent before connecting; the server speaks first, and only
 * after claiming that intent. So the first bytes, or the CLC timer, make the client withdraw its intent: if the
 * withdrawal wins, the server never claimed it and the connection is plain TCP (the bytes are the server's data);
 * if the server's claim won, the bytes are its CLC Proposal and the client runs the acceptor side of the handshake.
 */
final class ClientClcNegotiation extends ClcNegotiation {
    private final ClientIntent intent;
    private final ClcAcceptorHandshake handshake;
    private boolean decided;

    ClientClcNegotiation(SmcdSocketChannel channel, SmcdDomainContext domain, ClientIntent intent,
            ClcAcceptorHandshake handshake, int timeoutMillis) {
        super(channel, domain, timeoutMillis);
        this.intent = intent;
        this.handshake = handshake;
        handshake.start();
    }

    /** Starts the CLC timer once the TCP connection is up; the peer's Proposal is due from now. */
    void connected() {
        startTimer();
    }

    @Override
    SmcdFallbackReason beforeFirstBytes() throws SmcdException {
        return decide() ? null : new SmcdFallbackReason(SmcdReason.PEERNOSMC, SmcdReason.NONE,
                "peer sent data without claiming the SMC-D intent");
    }

    @Override
    ClcHandshakeStep onBytes(ByteBuffer bytes) {
        return handshake.onBytes(bytes);
    }

    @Override
    ClcHandshakeStep onTimeout() throws SmcdException {
        if (!decided && !decide()) {
            fallBack(new SmcdFallbackReason(SmcdReason.TIMEOUT_CLC, SmcdReason.NONE,
                    "peer did not claim the SMC-D intent within " + timeoutMillis + " ms"));
            return null;
        }
        return handshake.fallBack(SmcdReason.TIMEOUT_CLC);
    }

    @Override
    void abandonHandshake() {
        intent.close();
        handshake.fallBack(SmcdReason.INTERR);
    }

    /** Withdraws the intent once; true if the server had claimed it, so CLC follows. */
    private boolean decide() throws SmcdException {
        if (decided) {
            return true;
        }
        boolean withdrawn = intent.withdraw();
        decided = true;
        return !withdrawn;
    }
}
