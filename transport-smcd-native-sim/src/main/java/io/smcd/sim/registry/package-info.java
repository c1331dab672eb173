/**
 * The endpoint registry: how an smcd client and an smcd server on the same host agree, without the SMC
 * TCP option that Java cannot put in a SYN, to negotiate SMC-D on a TCP connection.
 *
 * <p>Every record is a small file in the shared-memory domain directory, written whole under a
 * temporary name ({@code tmp-<pid>-<startMillis>-...}) and renamed into place, so readers never see a
 * partial record and a crash mid-write leaves only a temporary file that {@link
 * io.smcd.sim.registry.EndpointRegistry#sweep()} removes:
 * <ul>
 *   <li>{@code listener-<port>-<hex address>}: a listening smcd server
 *       ({@link io.smcd.sim.registry.ListenerRecordDescriptor});</li>
 *   <li>{@code intent-<port>-<hex address>}: a client's intent, named by the client's own local
 *       endpoint, which is how the server finds it from the accepted socket's remote address
 *       ({@link io.smcd.sim.registry.IntentRecordDescriptor});</li>
 *   <li>{@code intent-<port>-<hex address>-<hex nonce>}: a hard link to the same intent under a name
 *       that no later intent ever reuses. Unlinking it is the decision: the server's claim and the
 *       client's withdraw both unlink it, and exactly one of them succeeds.</li>
 * </ul>
 * The port is decimal and the address is its 4 or 16 network-order bytes in lowercase hex.
 *
 * <p>The protocol: a server registers a listener record; a client whose destination has a live listener
 * record binds, publishes an intent and connects; the server, on accept, claims the intent and speaks
 * CLC only if it won; the client withdraws if bytes arrive first or a bounded wait passes, and expects
 * CLC only if its withdraw lost. Every race that the registry cannot decide exactly (a record removed
 * as stale just as a new one replaces it) ends with both sides on plain TCP, never with one side
 * speaking CLC to a peer that does not expect it.
 */
package io.smcd.sim.registry;
