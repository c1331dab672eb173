package io.smcd.channel;

import io.smcd.sim.SmcdConnection;
import java.nio.channels.SocketChannel;

/**
 * What tests in other packages may reach of an smcd channel: its SMC-D connection (and through it the mapped DMBs) and
 * its TCP socket, e.g. for a test peer that misbehaves on purpose.
 */
public final class SmcdChannelAccess {
    private SmcdChannelAccess() {
    }

    /** The channel's SMC-D connection, or null over TCP. */
    public static SmcdConnection connection(SmcdSocketChannel channel) {
        return channel.connection();
    }

    /** The channel's TCP socket, which carries CLC and the doorbells. */
    public static SocketChannel socket(SmcdSocketChannel channel) {
        return channel.socket();
    }
}
