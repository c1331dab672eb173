package io.smcd.it.grpc;

import java.time.Duration;

/**
 * A count that goes up and down (calls in progress), its highest value, and a bounded wait for a value.
 *
 * <p>Thread-safe: every method holds the gauge's monitor.
 */
final class Gauge {
    private int value;
    private int max;

    synchronized void increment() {
        value++;
        max = Math.max(max, value);
        notifyAll();
    }

    synchronized void decrement() {
        value--;
        notifyAll();
    }

    synchronized int value() {
        return value;
    }

    synchronized int max() {
        return max;
    }

    /** Waits up to {@code bound} until the value is {@code expected}; fails with the value it saw otherwise. */
    synchronized void await(int expected, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (value != expected) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("gauge=" + value + " expected=" + expected + " within " + bound);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
