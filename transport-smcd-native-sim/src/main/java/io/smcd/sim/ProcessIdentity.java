package io.smcd.sim;

import java.util.Optional;

/**
 * A process as recorded in shared memory: its PID and start time. The start time tells a live owner from
 * an unrelated process that reused a dead owner's PID. Immutable.
 *
 * @param pid         the operating-system process id
 * @param startMillis the process start time in epoch milliseconds, as {@link ProcessHandle.Info} reports it
 */
public record ProcessIdentity(long pid, long startMillis) {

    private static final ProcessIdentity CURRENT = of(ProcessHandle.current())
            .orElseThrow(() -> new IllegalStateException("the JVM cannot report its own start time"));

    /** The identity of this JVM. */
    public static ProcessIdentity current() {
        return CURRENT;
    }

    /** The identity of a running process, or empty if it has ended or its start time is unknown. */
    public static Optional<ProcessIdentity> of(long pid) {
        return ProcessHandle.of(pid).flatMap(ProcessIdentity::of);
    }

    private static Optional<ProcessIdentity> of(ProcessHandle handle) {
        return handle.info().startInstant().map(start -> new ProcessIdentity(handle.pid(), start.toEpochMilli()));
    }

    /** Whether this exact process (same PID and start time) is still running. */
    public boolean isAlive() {
        return of(pid).map(this::equals).orElse(false);
    }
}
