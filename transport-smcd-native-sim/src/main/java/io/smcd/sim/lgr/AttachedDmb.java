package io.smcd.sim.lgr;

import io.smcd.sim.DmbDescriptor;
import io.smcd.sim.DmbLease;
import io.smcd.sim.DmbSegment;
import io.smcd.sim.ProcessIdentity;
import io.smcd.sim.SmcdException;
import io.smcd.sim.SmcdReason;
import io.smcd.sim.clc.ClcProposal;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A peer's DMB that this process has mapped and writes into, one connection at a time ({@link DmbLease}). It stays
 * mapped between connections, so later leases cost no file operation. See the {@link io.smcd.sim.lgr package} for its
 * states.
 *
 * <p>Thread-safety: the state is an atomic, so leasing, releasing and retiring may race from any threads.
 */
public final class AttachedDmb implements DmbLease {
    static final int IDLE = 0;
    static final int IN_USE = 1;
    static final int RETIRED = 2;

    /**
     * How long a lease waits for the previous connection on this DMB to finish releasing it. The owner only lends it
     * again after that connection's close flag, which the connection stores just before it releases the lease, so the
     * wait spans a few instructions unless that thread is descheduled.
     */
    private static final long RELEASE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final LinkGroups table;
    private final DmbSegment dmb;
    private final AtomicInteger state = new AtomicInteger(IDLE);
    private long generation;

    AttachedDmb(LinkGroups table, DmbSegment dmb) {
        this.table = table;
        this.dmb = dmb;
    }

    @Override
    public DmbSegment dmb() {
        return dmb;
    }

    @Override
    public long generation() {
        return generation;
    }

    /** The process that owns this DMB (its receiver). */
    public ProcessIdentity owner() {
        return dmb.owner();
    }

    @Override
    public void release() {
        if (state.compareAndSet(IN_USE, IDLE) && table.isClosed()) {
            retireIfIdle();
        }
    }

    /**
     * Takes this DMB for one connection, if its header shows the lease the peer's CLC message names.
     *
     * @throws SmcdException {@link SmcdReason#SYNCERR} if it is retired, busy with another connection, or its header
     *                       shows another generation (a stale or forged message)
     */
    void lease(int wireGeneration) throws SmcdException {
        long waitStart = 0;
        while (!state.compareAndSet(IDLE, IN_USE)) {
            int now = state.get();
            if (now == RETIRED) {
                throw new SmcdException(SmcdReason.SYNCERR, "DMB " + token() + " was retired by its owner");
            }
            if (now == IN_USE) {
                if (waitStart == 0) {
                    waitStart = System.nanoTime() | 1;
                } else if (System.nanoTime() - waitStart > RELEASE_WAIT_NANOS) {
                    throw new SmcdException(SmcdReason.SYNCERR, "DMB " + token() + " is still in use by another connection");
                }
                Thread.yield();
            }
        }
        long current = dmb.getGenerationAcquire();
        if (current == DmbDescriptor.RETIRED || ClcProposal.wireGeneration(current) != wireGeneration) {
            state.set(IDLE);
            throw new SmcdException(SmcdReason.SYNCERR, "DMB " + token() + " generation " + wireGeneration
                    + " is stale: its header shows " + (current == DmbDescriptor.RETIRED ? "RETIRED" : current));
        }
        generation = current;
    }

    /** Unmaps this DMB if no connection holds it; returns whether this call did. */
    boolean retireIfIdle() {
        if (!state.compareAndSet(IDLE, RETIRED)) {
            return false;
        }
        table.forget(this);
        dmb.close();
        return true;
    }

    /** Whether the owner stopped lending it or died, so the mapping can go once idle. */
    boolean isAbandoned() {
        return dmb.getGenerationAcquire() == DmbDescriptor.RETIRED || !owner().isAlive();
    }

    boolean isIdle() {
        return state.get() == IDLE;
    }

    private String token() {
        return String.format("%016x", dmb.token());
    }

    @Override
    public String toString() {
        return "AttachedDmb(" + dmb + ", state=" + state.get() + ", generation=" + generation + ")";
    }
}
