package io.smcd.channel;

import io.netty.channel.IoEventLoop;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The connections an SMC-D listener took off its socket while the application was not accepting (autoRead off and no
 * {@code read()} pending), as the kernel's SMC accept queue: each negotiates at once on the server's loop
 * ({@link ListenWork}) so its client never waits for the application, and the application then accepts them settled,
 * in the order they settled. Holds at most the server's backlog; past it, connections wait in the kernel's queue.
 *
 * <p>Confined to the server channel's event loop.
 */
final class SmcdAcceptQueue {
    private final ArrayDeque<SmcdSocketChannel> settled = new ArrayDeque<>();
    private final Set<SmcdSocketChannel> negotiating = new HashSet<>();
    private final Runnable onSettled;
    private final int capacity;

    /** {@code onSettled} runs each time a connection becomes ready to be accepted. */
    SmcdAcceptQueue(int capacity, Runnable onSettled) {
        this.capacity = Math.max(1, capacity);
        this.onSettled = onSettled;
    }

    boolean isFull() {
        return settled.size() + negotiating.size() >= capacity;
    }

    boolean hasSettled() {
        return !settled.isEmpty();
    }

    /** Takes in an accepted connection: it negotiates on {@code loop} if its client offered SMC-D, else it is ready. */
    void add(SmcdSocketChannel connection, IoEventLoop loop) {
        if (connection.awaitsClc()) {
            negotiating.add(connection);
            new ListenWork(connection, loop, this).start();
        } else {
            settled.add(connection);
            onSettled.run();
        }
    }

    /** The oldest settled connection, for the application to accept, or null. */
    SmcdSocketChannel poll() {
        return settled.poll();
    }

    void settled(SmcdSocketChannel connection) {
        if (negotiating.remove(connection)) {
            settled.add(connection);
            onSettled.run();
        }
    }

    void dropped(SmcdSocketChannel connection) {
        negotiating.remove(connection);
        settled.remove(connection);
    }

    /** The server closes: no connection in the queue reaches the application. */
    void close() {
        List<SmcdSocketChannel> all = new ArrayList<>(negotiating);
        all.addAll(settled);
        negotiating.clear();
        settled.clear();
        for (SmcdSocketChannel connection : all) {
            connection.unsafe().closeForcibly();
        }
    }
}
