package io.smcd.examples.http;

import io.smcd.channel.SmcdIoHandlerConfig;
import io.smcd.reactor.SmcdLoopResources;
import reactor.netty.resources.LoopResources;

/**
 * The event loops of the Reactor Netty examples: {@link SmcdLoopResources} for {@code smcd}, Reactor Netty's own NIO
 * resources for {@code nio}. Passed to {@code runOn(loops, preferNative)}, they are the only transport-specific line.
 *
 * <p>Immutable and thread-safe.
 */
final class ReactorLoops {
    final LoopResources loops;
    /** For NIO, false, so that Reactor Netty does not pick epoll over it; smcd ignores it. */
    final boolean preferNative;

    private ReactorLoops(LoopResources loops, boolean preferNative) {
        this.loops = loops;
        this.preferNative = preferNative;
    }

    /** The {@code --transport} flag: {@code smcd} (the default) or {@code nio}. */
    static String transport(Flags flags, String usage) {
        String transport = flags.string("transport", "smcd");
        if (!transport.equals("smcd") && !transport.equals("nio")) {
            throw new IllegalArgumentException("--transport=" + transport + " must be smcd or nio\n" + usage);
        }
        return transport;
    }

    /**
     * Loops of {@code threads} non-daemon threads (0: Reactor Netty's default count) named from {@code prefix} for
     * {@code transport} {@code smcd} or {@code nio}.
     */
    static ReactorLoops create(String transport, String prefix, int threads, SmcdIoHandlerConfig config) {
        int workers = threads == 0 ? LoopResources.DEFAULT_IO_WORKER_COUNT : threads;
        switch (transport) {
            case "smcd":
                return new ReactorLoops(SmcdLoopResources.create(prefix, workers, false, config), true);
            case "nio":
                return new ReactorLoops(LoopResources.create(prefix, workers, false), false);
            default:
                throw new IllegalArgumentException("transport=" + transport + " must be smcd or nio");
        }
    }
}
