package io.smcd.channel.process;

import io.smcd.sim.testing.ChildJvm;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * An {@link EchoServerMain} in a child JVM, seen from the test: its address, the modes of its connections and its CPU
 * time. {@link #close()} kills the child if it is still running, so a failing test leaves no process behind.
 */
final class ServerProcess implements AutoCloseable {
    static final Duration BOUND = Duration.ofSeconds(60);

    private final ChildJvm child;
    private final int port;
    private final boolean smcdListening;

    private ServerProcess(ChildJvm child) throws IOException, TimeoutException {
        this.child = child;
        try {
            this.port = Integer.parseInt(child.expect("PORT ", BOUND));
            this.smcdListening = Boolean.parseBoolean(child.expect("LISTENING ", BOUND));
        } catch (IOException | TimeoutException | RuntimeException e) {
            child.close();
            throw e;
        }
    }

    /** Starts a server child with {@link EchoServerMain}'s {@code key=value} arguments and waits until it listens. */
    static ServerProcess start(String... args) throws IOException, TimeoutException {
        return new ServerProcess(ChildJvm.start(EchoServerMain.class, args));
    }

    /** Starts an smcd server on {@code domain} in a JVM with {@code jvmArgs} (e.g. system properties). */
    static ServerProcess smcd(List<String> jvmArgs, Path domain, String... args) throws IOException, TimeoutException {
        List<String> all = new ArrayList<>(List.of("kind=smcd", "domain=" + domain));
        all.addAll(List.of(args));
        return new ServerProcess(ChildJvm.start(EchoServerMain.class, jvmArgs, all.toArray(new String[0])));
    }

    /** Starts an smcd server on {@code domain} with extra arguments. */
    static ServerProcess smcd(Path domain, String... args) throws IOException, TimeoutException {
        return smcd(List.of(), domain, args);
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    boolean isSmcdListening() {
        return smcdListening;
    }

    ChildJvm child() {
        return child;
    }

    /** The next {@code ACTIVE} report (needs {@code report=true}): mode, local reason name, peer reason name. */
    String[] nextActive() throws IOException, TimeoutException {
        return child.expect("ACTIVE ", BOUND).split(" ");
    }

    /** The server's connection counters: total, active, exceptions, echoed, per-mode counts, reason.NAME counts. */
    Map<String, Long> stats() throws IOException, TimeoutException {
        child.send("STATS");
        Map<String, Long> stats = new HashMap<>();
        for (String pair : child.expect("STATS ", BOUND).split(" ")) {
            int eq = pair.indexOf('=');
            stats.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
        }
        return stats;
    }

    /** The child's process CPU time and its {@code System.nanoTime()} when it measured it. */
    long[] cpu() throws IOException, TimeoutException {
        child.send("CPU");
        String[] parts = child.expect("CPU ", BOUND).split(" ");
        return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
    }

    /** Asks the child to close everything and waits for it to exit normally. */
    void quit() throws Exception {
        child.send("QUIT");
        child.expect("BYE", BOUND);
        int exit = child.waitFor(BOUND);
        if (exit != 0) {
            throw new AssertionError("server child exited with " + exit + "; stderr:\n" + child.stderr());
        }
    }

    String stderr() {
        return child.stderr();
    }

    @Override
    public void close() {
        child.close();
    }
}
