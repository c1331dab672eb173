package io.smcd.sim.registry;

import io.smcd.sim.DmbSize;
import java.util.List;

/**
 * What a client offers in its intent so that the server can join the connection to their link group without a CLC
 * message: an RMB the server has mapped already, and the client's devices. {@link #NONE} offers no RMB: the server
 * then answers with the CLC handshake. Immutable.
 *
 * @param rmbToken      the client's RMB token, 0 for none
 * @param rmbGeneration the low 16 bits of that RMB's lease generation
 * @param rmbSizeCode   its size code
 * @param chids         the client's device CHIDs, preferred first, at most {@link ListenerSegmentDescriptor#MAX_CHIDS}
 */
public record IntentOffer(long rmbToken, int rmbGeneration, int rmbSizeCode, List<Integer> chids) {
    /** No RMB offered: CLC decides. */
    public static final IntentOffer NONE = new IntentOffer(0, 0, 0, List.of());

    public IntentOffer {
        if (rmbSizeCode < 0 || rmbSizeCode > DmbSize.MAX_CODE || (rmbGeneration & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("rmbSizeCode=" + rmbSizeCode + " rmbGeneration=" + rmbGeneration);
        }
        if (chids == null || chids.size() > ListenerSegmentDescriptor.MAX_CHIDS
                || chids.stream().anyMatch(c -> c == null || c <= 0 || c > 0xFFFF)) {
            throw new IllegalArgumentException("chids=" + chids + ": at most " + ListenerSegmentDescriptor.MAX_CHIDS
                    + " CHIDs in 1..0xFFFF");
        }
        chids = List.copyOf(chids);
    }

    /** Whether an RMB is offered. */
    public boolean hasRmb() {
        return rmbToken != 0;
    }
}
