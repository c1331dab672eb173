package io.smcd.bench.common;

import java.io.IOException;

/**
 * What a spinning wait loop calls now and then, so that it ends with an error instead of spinning
 * forever when the other process is gone. Implementations are thread-safe.
 */
@FunctionalInterface
public interface Liveness {
    /** Never fails: the child JVM needs none, as it exits when its stdin (the parent) closes. */
    Liveness NONE = () -> { };

    /** Throws if the wait can never end. */
    void check() throws IOException;
}
