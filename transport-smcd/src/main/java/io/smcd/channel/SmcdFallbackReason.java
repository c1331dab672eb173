package io.smcd.channel;

import io.smcd.sim.SmcdReason;
import java.util.Objects;

/**
 * Why a connection runs over TCP instead of SMC-D: the local and the peer's reason code, with the kernel's decline
 * codes ({@link SmcdReason}), as {@code smcss} prints them ({@code local/peer}). A peer code is present only when the
 * peer declined. {@link #PEER_NO_LISTENER} and {@link #PEER_NO_INTENT} are the codes of a peer that does not speak
 * SMC-D at all ({@link SmcdReason#PEERNOSMC}, as the kernel reports a peer without the SMC TCP option).
 *
 * <p>Immutable and thread-safe.
 */
public final class SmcdFallbackReason {
    /** Client side: the destination has no SMC-D listener in this host's domain (a plain server, or another host). */
    public static final SmcdFallbackReason PEER_NO_LISTENER =
            new SmcdFallbackReason(SmcdReason.PEERNOSMC, SmcdReason.NONE, "peer has no SMC-D listener");
    /** Server side: the client published no SMC-D intent (a plain client, or SMC-D off on its side). */
    public static final SmcdFallbackReason PEER_NO_INTENT =
            new SmcdFallbackReason(SmcdReason.PEERNOSMC, SmcdReason.NONE, "peer did not ask for SMC-D");
    /** SMC-D is switched off for this channel by {@link SmcdChannelOption#SMCD_ENABLED}. */
    public static final SmcdFallbackReason DISABLED =
            new SmcdFallbackReason(SmcdReason.NONE, SmcdReason.NONE, "SMC-D disabled by channel option");

    /** The channel is registered on an event loop that is not an smcd one (no {@link SmcdIoHandler}). */
    public static final SmcdFallbackReason NOT_ON_SMCD_LOOP =
            new SmcdFallbackReason(SmcdReason.NOSMCDEV, SmcdReason.NONE, "not on an smcd event loop");

    private final int localCode;
    private final int peerCode;
    private final String description;

    SmcdFallbackReason(int localCode, int peerCode, String description) {
        this.localCode = localCode;
        this.peerCode = peerCode;
        this.description = Objects.requireNonNull(description, "description");
    }

    /** The local reason code ({@link SmcdReason}); {@link SmcdReason#PEERDECL} when the peer declined. */
    public int localCode() {
        return localCode;
    }

    /** The reason code the peer sent in its CLC Decline, or {@link SmcdReason#NONE} if it sent none. */
    public int peerCode() {
        return peerCode;
    }

    /** A sentence for people and logs. */
    public String description() {
        return description;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SmcdFallbackReason r && r.localCode == localCode && r.peerCode == peerCode
                && r.description.equals(description);
    }

    @Override
    public int hashCode() {
        return Objects.hash(localCode, peerCode, description);
    }

    /** {@code NAME (0x........)/NAME (0x........): description}. */
    @Override
    public String toString() {
        return SmcdReason.name(localCode) + " (" + SmcdReason.toHex(localCode) + ")/" + SmcdReason.name(peerCode)
                + " (" + SmcdReason.toHex(peerCode) + "): " + description;
    }
}
