package io.smcd.sim;

/**
 * A DMB lent to one connection: its own RMB, or the peer's DMB it writes into. The connection releases each lease
 * exactly once, after its last access to the mapping; the lender ({@link io.smcd.sim.lgr.LinkGroups}) then decides
 * whether the DMB is reused, waits for the other side, or is retired.
 *
 * <p>Thread-safety: a lease is used by the one thread that runs its connection; {@link #release()} may be called from
 * another thread only once that thread no longer touches the connection.
 */
public interface DmbLease {
    /** The mapped DMB; valid until {@link #release()}. */
    DmbSegment dmb();

    /** The lease generation, also in the DMB's header while the lease lasts. */
    long generation();

    /** Ends the lease; the caller must not touch {@link #dmb()} afterwards. Idempotent. */
    void release();
}
