package io.smcd.channel;

/**
 * What an {@link SmcdIoHandler} drives besides its selector: one SMC-D connection whose DMBs it polls. All methods run
 * on the handler's event loop thread.
 */
interface SmcdIoHandle {
    /**
     * Does the work that arrived since the last call, bounded as a selector event is (at most one read burst of
     * {@code maxMessagesPerRead} and one flush of {@code writeSpinCount} writes). Returns how much work it did: 0 if none.
     */
    int poll();

    /**
     * Arms the doorbell before the loop blocks; returns false if work arrived meanwhile, and the loop must not block.
     */
    boolean prepareToSleep();

    /** Disarms the doorbell after the loop woke up. */
    void wakeUp();
}
