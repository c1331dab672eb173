package io.smcd.it;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** The JVM's live threads by name, for threads a test does not create itself (Reactor's, gRPC's). Stateless. */
public final class LiveThreads {
    private LiveThreads() {
    }

    /** Live threads whose name starts with {@code prefix}. */
    public static List<Thread> named(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix) && t.isAlive())
                .collect(Collectors.toList());
    }

    /** Waits up to {@code timeout} for every thread named {@code prefix*} to end; fails naming one still alive. */
    public static void assertAllEnded(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : named(prefix)) {
            thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (thread.isAlive()) {
                throw new AssertionError("thread still alive: " + thread);
            }
        }
    }
}
