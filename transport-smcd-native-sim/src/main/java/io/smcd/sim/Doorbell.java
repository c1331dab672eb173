package io.smcd.sim;

/**
 * Wakes a peer that went to sleep waiting for this side: the user-space stand-in for the interrupt
 * that an SMC-D {@code move_data(sf=1)} raises. The transport rings it with one byte on the connection's
 * TCP socket. Implementations must not block and must swallow their own failures (a dead peer is
 * detected on the socket, not here).
 */
@FunctionalInterface
public interface Doorbell {
    /** Signals the peer once. */
    void ring();
}
