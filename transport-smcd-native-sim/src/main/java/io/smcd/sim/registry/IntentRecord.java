package io.smcd.sim.registry;

import io.smcd.sim.Gid;
import io.smcd.sim.ProcessIdentity;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A client's intent to negotiate SMC-D on the TCP connection from {@code clientLocal} to
 * {@code destination}, as its intent record names it ({@link IntentRecordDescriptor}). Immutable.
 *
 * @param owner       the client process
 * @param gid         the GID of the domain the client published in
 * @param clientLocal the client socket's local endpoint, which the server sees as the accepted remote
 * @param destination the endpoint the client connects to
 * @param nonce       random; names this intent's decision link, so no other intent can be decided for it.
 *                    Both sides know it after the claim, so the CLC handshake can carry it too.
 */
public record IntentRecord(ProcessIdentity owner, Gid gid, InetSocketAddress clientLocal, InetSocketAddress destination,
        long nonce) {
    public IntentRecord {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(gid, "gid");
        Objects.requireNonNull(clientLocal, "clientLocal");
        Objects.requireNonNull(destination, "destination");
    }
}
