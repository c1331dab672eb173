package io.smcd.examples.grpc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Netty's thread factory that remembers its threads, so a test can check that every one of them ended. */
final class TrackingThreadFactory extends DefaultThreadFactory {
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    TrackingThreadFactory(String poolName) {
        super(poolName);
    }

    @Override
    protected Thread newThread(Runnable r, String name) {
        Thread thread = super.newThread(r, name);
        threads.add(thread);
        return thread;
    }

    /** Waits up to {@code timeout} for each thread made so far to end, and fails if one is still alive. */
    void assertAllTerminated(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : threads) {
            thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            assertTrue(!thread.isAlive(), "thread still alive: " + thread);
        }
    }
}
