package io.smcd.sim;

import java.util.UUID;

/**
 * A 128-bit SMC-D GID of an Emulated-ISM device ({@code struct smcd_gid}: {@code gid} then {@code gid_ext}).
 * Two devices reach each other iff their GIDs are equal ({@code query_remote_gid}). Immutable.
 *
 * @param gid    the high 64 bits (the kernel's {@code gid})
 * @param gidExt the low 64 bits (the kernel's {@code gid_ext})
 */
public record Gid(long gid, long gidExt) {

    /** Builds a GID from a UUID: bytes 0-7 become {@code gid}, bytes 8-15 {@code gid_ext}, as loopback-ism does. */
    public static Gid of(UUID uuid) {
        return new Gid(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
    }

    /** The GID as a UUID. */
    public UUID toUuid() {
        return new UUID(gid, gidExt);
    }

    @Override
    public String toString() {
        return toUuid().toString();
    }
}
