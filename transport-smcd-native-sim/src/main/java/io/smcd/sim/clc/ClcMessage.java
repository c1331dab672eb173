package io.smcd.sim.clc;

/**
 * A CLC handshake message: {@link ClcProposal}, {@link ClcAcceptConfirm} or {@link ClcDecline}. Implementations are
 * immutable records and thread-safe; {@link ClcCodec} encodes and decodes them.
 */
public sealed interface ClcMessage permits ClcProposal, ClcAcceptConfirm, ClcDecline {

    /** The header type: one of {@link ClcHeader#TYPE_PROPOSAL} .. {@link ClcHeader#TYPE_DECLINE}. */
    int type();
}
