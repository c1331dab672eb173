package io.smcd.sim.registry;

import io.smcd.sim.ProcessIdentity;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether the owner of a record is alive, cheaply enough for every connect and accept.
 * {@link ProcessIdentity#isAlive()} reads the whole of {@code ProcessHandle.Info} (about 30 us); a
 * {@link ProcessHandle} once matched to an identity answers {@link ProcessHandle#isAlive()} from the
 * process's start time alone (about 9 us) and reads a reused PID as dead, so this class keeps one handle
 * per identity it has confirmed. Thread-safe.
 */
final class LiveProcesses {
    /** Enough for every server and client process of a busy host; past it the cache starts afresh. */
    private static final int CAPACITY = 1024;
    private static final ConcurrentHashMap<ProcessIdentity, ProcessHandle> CONFIRMED = new ConcurrentHashMap<>();

    private LiveProcesses() {
    }

    /** Whether {@code owner} names a process that is still running (same PID and start time). */
    static boolean isAlive(Optional<ProcessIdentity> owner) {
        return owner.isPresent() && isAlive(owner.get());
    }

    static boolean isAlive(ProcessIdentity identity) {
        ProcessHandle confirmed = CONFIRMED.get(identity);
        if (confirmed != null) {
            if (confirmed.isAlive()) {
                return true;
            }
            CONFIRMED.remove(identity, confirmed);
            return false;
        }
        // The handle is taken before the start time is compared: the identity's process existed before this
        // call (it wrote the record), so a handle whose process has the identity's start time is that process.
        Optional<ProcessHandle> handle = ProcessHandle.of(identity.pid());
        if (handle.isEmpty() || !handle.get().info().startInstant().map(Instant::toEpochMilli)
                .equals(Optional.of(identity.startMillis()))) {
            return false;
        }
        if (CONFIRMED.size() >= CAPACITY) {
            CONFIRMED.clear();
        }
        CONFIRMED.put(identity, handle.get());
        return true;
    }
}
