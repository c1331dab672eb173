package io.smcd.sim;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A process as recorded in shared memory: its PID and start time. The start time tells a live owner from
 * an unrelated process that reused a dead owner's PID. Immutable; {@link #isAlive()} is thread-safe.
 *
 * @param pid         the operating-system process id
 * @param startMillis the process start time in epoch milliseconds, as {@link ProcessHandle.Info} reports it
 */
public record ProcessIdentity(long pid, long startMillis) {

    /** Enough for every peer process of a busy host; past it the cache starts afresh. */
    private static final int CONFIRMED_CAPACITY = 1024;
    /**
     * Handles already matched to an identity. Reading {@code ProcessHandle.Info} costs about 30 us; a
     * matched handle answers {@link ProcessHandle#isAlive()} in about 9 us and reads a reused PID as dead.
     */
    private static final ConcurrentHashMap<ProcessIdentity, ProcessHandle> CONFIRMED = new ConcurrentHashMap<>();

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

    /**
     * The process named by a file name {@code <prefix><pid>-<startMillis>-<rest>}, as files in a domain name their
     * creator; empty for a name of another form.
     */
    public static Optional<ProcessIdentity> fromFileName(String fileName, String prefix) {
        if (!fileName.startsWith(prefix)) {
            return Optional.empty();
        }
        String[] parts = fileName.substring(prefix.length()).split("-", 3);
        if (parts.length < 3) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ProcessIdentity(Long.parseLong(parts[0]), Long.parseLong(parts[1])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether this exact process (same PID and start time) is still running. */
    public boolean isAlive() {
        ProcessHandle confirmed = CONFIRMED.get(this);
        if (confirmed != null) {
            if (confirmed.isAlive()) {
                return true;
            }
            CONFIRMED.remove(this, confirmed);
            return false;
        }
        // The handle is taken before the start time is compared, so a matching handle is this very process.
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !of(handle.get()).map(this::equals).orElse(false)) {
            return false;
        }
        if (CONFIRMED.size() >= CONFIRMED_CAPACITY) {
            CONFIRMED.clear();
        }
        CONFIRMED.put(this, handle.get());
        return true;
    }
}
