/**
 * The endpoint registry: how an smcd client and an smcd server on the same host agree, without the SMC
 * TCP option that Java cannot put in a SYN, to negotiate SMC-D on a TCP connection.
 *
 * <p>A listening server maps one {@linkplain io.smcd.sim.registry.ListenerSegment listener segment},
 * the file {@code listener-<port>-<hex address>} in the domain directory (decimal port; the address's 4
 * or 16 network-order bytes in lowercase hex), created whole under a temporary name
 * ({@code tmp-<pid>-<startMillis>-...}) and renamed into place, so a client never maps half a segment
 * and a crash mid-creation leaves only a temporary file that {@link
 * io.smcd.sim.registry.EndpointRegistry#sweep()} removes. Its header says who listens; its intent slots
 * are mailboxes between one connecting client and the server ({@link
 * io.smcd.sim.registry.ListenerSegmentDescriptor} has the layout and the slot states).
 *
 * <p>The protocol, per connection, with no file operation on a path a client already knows beyond one
 * {@code stat}:
 * <ol>
 *   <li>the client {@linkplain io.smcd.sim.registry.Listener#reserve reserves} a slot for its
 *       destination, with an {@linkplain io.smcd.sim.registry.IntentOffer offer}: nothing, or the RMB of
 *       a link group it already shares with that server;</li>
 *   <li>it connects, and {@linkplain io.smcd.sim.registry.ClientIntent#publish publishes} the local
 *       endpoint the kernel picked, which is how the server finds the slot from the accepted socket's
 *       remote address;</li>
 *   <li>the server, on accept, {@linkplain io.smcd.sim.registry.ListenerSegment#find finds} the slot
 *       (waiting briefly for one still reserved for its address) and claims it: for the CLC handshake,
 *       or, when it accepts the offer, for a join of the link group, its
 *       {@linkplain io.smcd.sim.registry.IntentAnswer answer} written into the slot so that no CLC
 *       message is needed;</li>
 *   <li>the client {@linkplain io.smcd.sim.registry.ClientIntent#decide decides} when bytes or the
 *       answer arrive, or a bounded wait passes: a claimed slot means CLC or the join, a withdrawn one
 *       plain TCP.</li>
 * </ol>
 * Claim and withdraw are compare-and-sets on the same slot state, so exactly one wins and each side
 * learns which. Every race the registry cannot decide exactly (a segment replaced just as a client
 * reads it) ends with both sides on plain TCP, never with one side speaking CLC to a peer that does not
 * expect it. Segments and slots of dead processes are ignored and swept.
 */
package io.smcd.sim.registry;
