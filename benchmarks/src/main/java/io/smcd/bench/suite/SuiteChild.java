package io.smcd.bench.suite;

import io.smcd.bench.common.PeerSide;
import io.smcd.bench.common.Words;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

/**
 * What both children of a transport share: their arguments ({@code --transport --domain --sockets --dmb --spin} and
 * their own), the transport they make of them, and the removal of the run's folders when the parent is gone
 * (killed outright: a living parent removes them itself). Immutable; thread-safe.
 */
final class SuiteChild {
    private final Map<String, String> arguments;
    private final NettyTransport transport;
    private final List<Path> runDirectories;

    private SuiteChild(Map<String, String> arguments) {
        this.arguments = arguments;
        Path domain = Paths.get(arguments.get("domain"));
        Path sockets = Paths.get(arguments.get("sockets"));
        this.runDirectories = List.of(domain, sockets);
        this.transport = new NettyTransport(SuiteTransport.ofOption(arguments.get("transport")), domain, sockets,
                Integer.parseInt(arguments.get("dmb")), Long.parseLong(arguments.get("spin")));
    }

    /** Parses a child's {@code args} and starts the watchdog that cleans up after a parent killed outright. */
    static SuiteChild start(String[] args) {
        SuiteChild child = new SuiteChild(Words.arguments(args));
        PeerSide.watchParent(child::removeRunDirectories);
        return child;
    }

    NettyTransport transport() {
        return transport;
    }

    /** The argument {@code --name}, or {@code fallback} if it was not given. */
    String argument(String name, String fallback) {
        return arguments.getOrDefault(name, fallback);
    }

    /** After this child's stdin ended without EXIT: removes the run's folders if the parent is gone. */
    void cleanUpIfOrphaned() {
        if (!PeerSide.parentAlive()) {
            removeRunDirectories();
        }
    }

    private void removeRunDirectories() {
        runDirectories.forEach(BenchSuite.RUN_DIRECTORY::delete);
    }
}
