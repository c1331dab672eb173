package io.smcd.sim.registry;

import io.smcd.sim.ProcessIdentity;
import java.net.InetSocketAddress;

/**
 * A client's intent as the server read it from its slot, before claiming it ({@link ListenerSegment#find}). Only a
 * claim with the same state word succeeds, so these fields are the ones of the reservation that is claimed. Immutable.
 *
 * @param slot        the slot index
 * @param state       the PENDING state word read
 * @param client      the client process
 * @param clientLocal the client socket's endpoint, which the server sees as the accepted remote
 * @param destination the endpoint the client connected to
 * @param offer       what the client offers for a join without CLC
 */
public record PendingIntent(int slot, long state, ProcessIdentity client, InetSocketAddress clientLocal,
        InetSocketAddress destination, IntentOffer offer) {
}
