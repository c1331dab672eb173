package io.smcd.sim.handshake;

import io.smcd.sim.Gid;

/**
 * The EID (user EID, UEID) smcd offers and accepts in the CLC handshake. The kernel's SMC-Dv2 only negotiates
 * between peers that share an EID; smcd derives it from the shared-memory domain's GID, so that two processes in the
 * same domain always share it and processes of different domains never do:
 * {@code "SMCD-" + the 16 upper-case hex digits of gid.gid()}, 21 characters. That stays within the kernel's UEID
 * alphabet ({@code A-Z 0-9 . -}) and within the CLC codec's EID rule (1 to 32 printable, non-blank ASCII
 * characters). Stateless and thread-safe.
 */
public final class SmcdEid {
    /** What every smcd EID starts with. */
    public static final String PREFIX = "SMCD-";
    /** The length of every smcd EID: the prefix and 16 hex digits. */
    public static final int LENGTH = PREFIX.length() + 16;

    private SmcdEid() {
    }

    /** The EID of the domain whose GID is {@code gid}. */
    public static String of(Gid gid) {
        if (gid == null) {
            throw new IllegalArgumentException("gid=null");
        }
        return PREFIX + String.format("%016X", gid.gid());
    }
}
