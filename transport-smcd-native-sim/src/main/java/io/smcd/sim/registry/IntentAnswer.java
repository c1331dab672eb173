package io.smcd.sim.registry;

import io.smcd.sim.DmbSize;

/**
 * The server's answer to an intent it joins to their link group: its own RMB, leased already, and the device of the
 * connection. Immutable.
 *
 * @param rmbToken      the server's RMB token
 * @param rmbGeneration the low 16 bits of its lease generation
 * @param rmbSizeCode   its size code
 * @param chid          the CHID of the device chosen, one the client offered
 */
public record IntentAnswer(long rmbToken, int rmbGeneration, int rmbSizeCode, int chid) {
    public IntentAnswer {
        if (rmbToken == 0 || rmbSizeCode < 0 || rmbSizeCode > DmbSize.MAX_CODE || (rmbGeneration & ~0xFFFF) != 0
                || chid <= 0 || chid > 0xFFFF) {
            throw new IllegalArgumentException("rmbToken=" + rmbToken + " rmbSizeCode=" + rmbSizeCode
                    + " rmbGeneration=" + rmbGeneration + " chid=" + chid);
        }
    }
}
