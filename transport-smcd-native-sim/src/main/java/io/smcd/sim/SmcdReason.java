package io.smcd.sim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** Every code above with its kernel name, in declaration order. */
    private static final Map<Integer, String> NAMES = new LinkedHashMap<>();
    /** What each code means, in words for logs. */
    private static final Map<Integer, String> WORDS = new LinkedHashMap<>();

    static {
        define(NONE, "NONE", "no failure");
        define(MEM, "MEM", "insufficient memory for a DMB (tmpfs full, or mapping failed)");
        define(CNFERR, "CNFERR", "the shared-memory domain is unusable");
        define(PEERNOSMC, "PEERNOSMC", "the peer does not speak SMC-D");
        define(NOSMCDEV, "NOSMCDEV", "no SMC device");
        define(NOSMCDDEV, "NOSMCDDEV", "no SMC-D device");
        define(NOV2DEXT, "NOV2DEXT", "the peer sent no SMC-Dv2 extension");
        define(NOSMCD2DEV, "NOSMCD2DEV", "no matching SMC-Dv2 device (GID or CHID differ: another host or domain)");
        define(NOUEID, "NOUEID", "no matching UEID");
        define(RELEASEERR, "RELEASEERR", "SMC release negotiation failed");
        define(MODEUNSUPP, "MODEUNSUPP", "SMC-R/SMC-D mode mismatch");
        define(VERSMISMAT, "VERSMISMAT", "SMC version mismatch");
        define(MAX_DMB, "MAX_DMB", "the DMB limit is reached");
        define(SYNCERR, "SYNCERR", "the peer's state is impossible (bad cursor or message)");
        define(PEERDECL, "PEERDECL", "the peer declined");
        define(INTERR, "INTERR", "internal error");
        define(TIMEOUT_CLC, "TIMEOUT_CLC", "no CLC message within the timeout");
        define(PEER_ABORT, "PEER_ABORT", "the peer aborted the connection");
    }

    private SmcdReason() {
    }

    private static void define(int code, String name, String words) {
        NAMES.put(code, name);
        WORDS.put(code, words);
    }

    /** Every code defined here, {@link #NONE} first. */
    public static List<Integer> codes() {
        return List.copyOf(NAMES.keySet());
    }

    /** Returns the kernel name of {@code code}, or its hex form when it has no name here. */
    public static String name(int code) {
        String name = NAMES.get(code);
        return name != null ? name : toHex(code);
    }

    /** What {@code code} means, in words; "unknown reason" and its hex form for a code not defined here. */
    public static String describe(int code) {
        String words = WORDS.get(code);
        return words != null ? words : "unknown reason " + toHex(code);
    }

    /** Formats a code as {@code smcss} does: {@code 0x%08x}. */
    public static String toHex(int code) {
        return String.format("0x%08x", code);
    }
}
