package io.smcd.channel;

import io.smcd.sim.SmcdReason;
import io.smcd.sim.handshake.ClcHandshakeStep;
import io.smcd.sim.handshake.ClcProposerHandshake;
import java.nio.ByteBuffer;

/**
 * The accepting side's negotiation: its server channel claimed the client's intent, so it speaks first with a CLC
 * Proposal and runs the proposer side of the handshake. Without an smcd event loop to poll the DMBs it declines at
 * once (the client, which waits for CLC, then falls back too).
 */
final class ServerClcNegotiation extends ClcNegotiation {
    private final ClcProposerHandshake handshake;

    ServerClcNegotiation(SmcdSocketChannel channel, SmcdDomainContext domain, ClcProposerHandshake handshake,
            int timeoutMillis) {
        super(channel, domain, timeoutMillis);
        this.handshake = handshake;
    }

    /** Sends the Proposal (or, if SMC-D cannot run on this loop, a Decline); the CLC timer starts with it. */
    void start(boolean canPoll) {
        if (!canPoll) {
            apply(handshake.fallBack(SmcdReason.NOSMCDEV));
            return;
        }
        apply(handshake.start());
    }

    @Override
    ClcHandshakeStep onBytes(ByteBuffer bytes) {
        return handshake.onBytes(bytes);
    }

    @Override
    ClcHandshakeStep onTimeout() {
        return handshake.fallBack(SmcdReason.TIMEOUT_CLC);
    }

    @Override
    void abandonHandshake() {
        handshake.fallBack(SmcdReason.INTERR);
    }
}
