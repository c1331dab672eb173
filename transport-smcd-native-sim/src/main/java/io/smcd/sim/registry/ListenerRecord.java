package io.smcd.sim.registry;

import io.smcd.sim.Gid;
import io.smcd.sim.ProcessIdentity;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A listening smcd server as its listener record names it (the header of a {@link ListenerSegmentDescriptor listener segment}). Immutable.
 *
 * @param owner   the server process
 * @param gid     the GID of the domain the server registered in
 * @param address the address the server is bound to: a concrete address, or 0.0.0.0 or :: for a wildcard
 * @param nonce   random; tells this registration from a later one at the same address
 */
public record ListenerRecord(ProcessIdentity owner, Gid gid, InetSocketAddress address, long nonce) {
    public ListenerRecord {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(gid, "gid");
        Objects.requireNonNull(address, "address");
    }
}
