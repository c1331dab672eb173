package io.smcd.reactor;

import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.scheduler.NonBlocking;

/**
 * The threads of {@link SmcdLoopResources}: {@code <prefix>-smcd-<n>}, daemon as asked. They are
 * {@link FastThreadLocalThread}s, as Netty's own event loop threads, and {@link NonBlocking}, as Reactor Netty's, so
 * that a {@code block()} on an event loop fails at once instead of stalling every connection of that loop.
 *
 * <p>Thread-safe.
 */
final class SmcdLoopThreadFactory implements ThreadFactory {
    private final String namePrefix;
    private final boolean daemon;
    private final AtomicInteger counter = new AtomicInteger();

    SmcdLoopThreadFactory(String prefix, boolean daemon) {
        this.namePrefix = prefix + "-smcd-";
        this.daemon = daemon;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new LoopThread(task, namePrefix + counter.incrementAndGet());
        thread.setDaemon(daemon);
        return thread;
    }

    /** An event loop thread that Reactor recognises as non-blocking. */
    private static final class LoopThread extends FastThreadLocalThread implements NonBlocking {
        LoopThread(Runnable task, String name) {
            super(task, name);
        }
    }
}
