package io.smcd.it;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Netty's thread factory that remembers its threads, so that a test can check every one of them ended. Thread-safe. */
public final class TrackingThreadFactory extends DefaultThreadFactory {
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    public TrackingThreadFactory(String poolName) {
        super(poolName, true);
    }

    @Override
    protected Thread newThread(Runnable r, String name) {
        Thread thread = super.newThread(r, name);
        threads.add(thread);
        return thread;
    }

    /** Waits up to {@code timeout} for each thread made so far to end, and fails naming one that is still alive. */
    public void assertAllTerminated(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : threads) {
            thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (thread.isAlive()) {
                throw new AssertionError("thread still alive: " + thread);
            }
        }
    }
}
