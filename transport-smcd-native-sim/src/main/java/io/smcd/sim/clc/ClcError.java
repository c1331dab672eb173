package io.smcd.sim.clc;

/** What was wrong with CLC bytes that {@link ClcCodec} refused. Immutable. */
public enum ClcError {
    /** Fewer bytes are present than the header (or the header's length) needs. */
    TRUNCATED,
    /** The header or trailer eyecatcher is not the one the message type requires, or they differ. */
    BAD_EYECATCHER,
    /** Unknown message type, or {@code typev1}/{@code typev2} bits smcd does not send for that type. */
    BAD_TYPE,
    /** Not CLC version 2; reported with {@link io.smcd.sim.SmcdReason#VERSMISMAT}. */
    BAD_VERSION,
    /** The length field does not fit the message type or the counts inside the message. */
    BAD_LENGTH,
    /** The length field exceeds {@link ClcHeader#MAX_MESSAGE_LENGTH}. */
    OVERSIZED,
    /** An internal offset ({@code iparea_offset}, {@code v2_ext_offset}, {@code smcd_v2_ext_offset}) is wrong. */
    BAD_OFFSET,
    /** A field holds an impossible value: a count, a size code, an EID, a GID/CHID pair, a required flag. */
    BAD_FIELD
}
