package io.smcd.it.reactor;

import io.netty.channel.Channel;
import io.smcd.channel.SmcdMode;
import io.smcd.it.ChannelModes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.netty.Connection;

/**
 * The distinct Netty channels of the connections a Reactor server or client reported (via {@code doOnConnection} or
 * {@code doOnConnected}, which a pooled client calls again each time it reuses a connection), to assert how each one
 * carried its data.
 *
 * <p>Thread-safe: Reactor reports from event loops, the test reads from its own thread.
 */
final class ConnectionLog {
    private final CopyOnWriteArrayList<Channel> channels = new CopyOnWriteArrayList<>();

    void add(Connection connection) {
        channels.addIfAbsent(connection.channel());
    }

    List<Channel> channels() {
        return new ArrayList<>(channels);
    }

    /** Fails unless there are {@code count} channels, each an smcd channel in mode {@code expected}. */
    void assertAll(int count, SmcdMode expected) {
        ChannelModes.assertSmcd("reactor", channels(), count, expected);
    }
}
