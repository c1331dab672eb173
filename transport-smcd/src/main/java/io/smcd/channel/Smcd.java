package io.smcd.channel;

import io.smcd.sim.SmcdDomain;

/**
 * Whether SMC-D can run in this process, in the style of Netty's {@code Epoll} and {@code IoUring}: probed once, when
 * this class initialises, by opening the default domain ({@link SmcdDomain#defaultDirectory()}, which honours the
 * {@code smcd.domain} system property), mapping a probe file in it and closing it again.
 *
 * <p>smcd channels work either way: without SMC-D every connection falls back to TCP with a reason. Thread-safe.
 */
public final class Smcd {
    private static final Throwable UNAVAILABILITY_CAUSE = probe();

    private Smcd() {
    }

    private static Throwable probe() {
        try {
            SmcdDomain.open(SmcdDomain.defaultDirectory()).close();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    /** Whether the default SMC-D domain is usable. */
    public static boolean isAvailable() {
        return UNAVAILABILITY_CAUSE == null;
    }

    /**
     * Throws if SMC-D is not available.
     *
     * @throws UnsatisfiedLinkError with {@link #unavailabilityCause()} as its cause, as Netty's native transports do
     */
    public static void ensureAvailability() {
        if (UNAVAILABILITY_CAUSE != null) {
            throw (Error) new UnsatisfiedLinkError("SMC-D is not available: " + UNAVAILABILITY_CAUSE.getMessage())
                    .initCause(UNAVAILABILITY_CAUSE);
        }
    }

    /** Why SMC-D is not available, or null if it is. */
    public static Throwable unavailabilityCause() {
        return UNAVAILABILITY_CAUSE;
    }
}
