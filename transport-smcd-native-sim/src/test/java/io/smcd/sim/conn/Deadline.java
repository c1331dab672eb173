package io.smcd.sim.conn;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * An overall bound for a wait, so that a test that loses a byte or a wake-up fails with a message
 * instead of hanging. Immutable and thread-safe.
 */
final class Deadline {
    private final long endNanos;
    private final Duration bound;

    private Deadline(Duration bound) {
        this.bound = bound;
        this.endNanos = System.nanoTime() + bound.toNanos();
    }

    static Deadline in(Duration bound) {
        return new Deadline(bound);
    }

    boolean isExpired() {
        return System.nanoTime() - endNanos > 0;
    }

    /** Fails with {@code what} (evaluated only then) once the bound has passed. */
    void check(Supplier<String> what) {
        if (isExpired()) {
            throw new AssertionError("still waiting after " + bound + ": " + what.get());
        }
    }

    /** Spins or yields once, for a caller that made no progress {@code idleRounds} times in a row. */
    static void idle(int idleRounds) {
        // Two cores and two busy peers: after a short spin, hand the core over so the peer can make progress.
        if (idleRounds < 64) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }
}
