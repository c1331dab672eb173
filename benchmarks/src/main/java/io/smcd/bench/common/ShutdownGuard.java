package io.smcd.bench.common;

/**
 * Runs a cleanup when closed and, until then, also when the JVM is told to end (Ctrl-C, SIGTERM), so that a run's
 * children and folders never outlive it. The cleanup must be idempotent: it may run twice when a signal comes during
 * {@link #close()}. Thread-safe.
 */
public final class ShutdownGuard implements AutoCloseable {
    private final Runnable cleanup;
    private final Thread hook;

    public ShutdownGuard(String name, Runnable cleanup) {
        this.cleanup = cleanup;
        this.hook = new Thread(cleanup, name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void close() {
        cleanup.run();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook runs or is about to: it repeats the same idempotent cleanup.
        }
    }
}
