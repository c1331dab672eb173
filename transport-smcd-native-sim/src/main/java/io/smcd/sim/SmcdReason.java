package io.smcd.sim;

/**
 * SMC decline and fallback reason codes, with the kernel's values ({@code net/smc/smc_clc.h}) so that
 * figures and logs read like {@code smcss} output. Stateless and thread-safe.
 */
public final class SmcdReason {
    /** No failure: the connection runs over SMC-D. */
    public static final int NONE = 0;
    /** Insufficient memory: a DMB could not be created or attached (full tmpfs, mapping failure). */
    public static final int MEM = 0x01010000;
    /** Configuration error: the shared-memory domain is unusable. */
    public static final int CNFERR = 0x03000000;
    /** Peer has no SMC-D listener (the kernel's "peer did not send the SMC TCP option"). */
    public static final int PEERNOSMC = 0x03010000;
    /** No SMC device at all. */
    public static final int NOSMCDEV = 0x03030000;
    /** No SMC-D device. */
    public static final int NOSMCDDEV = 0x03030001;
    /** Peer sent no SMC-Dv2 extension. */
    public static final int NOV2DEXT = 0x03030005;
    /** No SMC-Dv2 device matches (GID or CHID). */
    public static final int NOSMCD2DEV = 0x03030007;
    /** Peer sent no matching UEID. */
    public static final int NOUEID = 0x03030008;
    /** SMC release negotiation failed. */
    public static final int RELEASEERR = 0x03030009;
    /** R/D mode mismatch. */
    public static final int MODEUNSUPP = 0x03040000;
    /** SMC version mismatch. */
    public static final int VERSMISMAT = 0x030c0000;
    /** SMC-D DMB limit reached. */
    public static final int MAX_DMB = 0x030d0000;
    /** Synchronization error: the peer's state is impossible (bad cursor, bad message). */
    public static final int SYNCERR = 0x04000000;
    /** The peer declined; its own code is the peer reason. */
    public static final int PEERDECL = 0x05000000;
    /** Internal error. */
    public static final int INTERR = 0x09990000;
    /** Timeout waiting for a CLC message (the kernel reports it as {@code -ETIMEDOUT}). */
    public static final int TIMEOUT_CLC = 0x09990100;
    /** The peer aborted the connection ({@code peerConnAbort}): the kernel's {@code ECONNRESET}. */
    public static final int PEER_ABORT = 0x09990200;

    private SmcdReason() {
    }

    /** Returns the kernel name of {@code code}, or its hex form when it has no name here. */
    public static String name(int code) {
        switch (code) {
            case NONE: return "NONE";
            case MEM: return "MEM";
            case CNFERR: return "CNFERR";
            case PEERNOSMC: return "PEERNOSMC";
            case NOSMCDEV: return "NOSMCDEV";
            case NOSMCDDEV: return "NOSMCDDEV";
            case NOV2DEXT: return "NOV2DEXT";
            case NOSMCD2DEV: return "NOSMCD2DEV";
            case NOUEID: return "NOUEID";
            case RELEASEERR: return "RELEASEERR";
            case MODEUNSUPP: return "MODEUNSUPP";
            case VERSMISMAT: return "VERSMISMAT";
            case MAX_DMB: return "MAX_DMB";
            case SYNCERR: return "SYNCERR";
            case PEERDECL: return "PEERDECL";
            case INTERR: return "INTERR";
            case TIMEOUT_CLC: return "TIMEOUT_CLC";
            case PEER_ABORT: return "PEER_ABORT";
            default: return toHex(code);
        }
    }

    /** Formats a code as {@code smcss} does: {@code 0x%08x}. */
    public static String toHex(int code) {
        return String.format("0x%08x", code);
    }
}
