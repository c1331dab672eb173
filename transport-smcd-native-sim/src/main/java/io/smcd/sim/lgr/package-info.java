/**
 * Link groups: DMB reuse across the connections of one pair of processes, as the kernel's SMC link groups reuse their
 * buffers ({@code smc_buf_get_slot}, {@code smc_buf_unuse}).
 *
 * <p>{@link io.smcd.sim.lgr.LinkGroups} is one process's table for one domain. For each peer process it keeps a
 * {@link io.smcd.sim.lgr.LinkGroup}: pools of this process's own RMBs dedicated to that peer
 * ({@link io.smcd.sim.lgr.OwnedDmb}). Across peers it keeps the index of the peer DMBs this process has mapped
 * ({@link io.smcd.sim.lgr.AttachedDmb}), by token. A DMB is created, zero-filled, mapped by both sides and unlinked
 * once, on its first lease; later connections of the same pair lease it again with no file operation at all.
 *
 * <pre>
 *  own RMB:   FREE --lease--> LEASED --release--> (writer's close flag seen) --reset--> FREE
 *                                             \--> DRAINING (writer still busy) --flag seen--> reset --> FREE
 *             FREE or DRAINING past the linger time, peer dead, table closed --> RETIRED (unmapped, never lent again)
 *  peer DMB:  IDLE --lease(generation)--> IN_USE --release--> IDLE;  IDLE and owner retired it or died --> RETIRED
 * </pre>
 *
 * <p>Both sides are done with a DMB when its owner released its lease and its writer published a close flag
 * ({@code peerConnClosed} or {@code peerConnAbort}: a writer's last store into it), or the writer died. Only then is it
 * reset (used ring bytes zeroed, CDC block cleared) and lent again, under a new generation that the CLC messages carry
 * and the peer checks against the header, so that no stale message can reach a reused buffer. The owner never lends a
 * retired DMB and the writer drops its mapping only when the owner retired it or died, so both sides' views of a link
 * group's DMBs never diverge. A mapping is unmapped only by the thread that holds it exclusively (taken from a pool, or
 * won by a state transition), so no thread ever touches an unmapped DMB.
 */
package io.smcd.sim.lgr;
