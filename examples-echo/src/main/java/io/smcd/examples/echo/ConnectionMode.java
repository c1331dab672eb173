package io.smcd.examples.echo;

import io.netty.channel.Channel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.smcd.channel.SmcdMode;
import io.smcd.channel.SmcdSocketChannel;

/**
 * How a connected channel carries its data, for people: {@code SMC-D (SMCD_LOOPBACK)}, {@code TCP (fallback: <reason>)}
 * for an smcd channel that fell back, or {@code TCP (nio)} for a plain NIO channel. Read it once the channel is
 * active: an {@link SmcdSocketChannel}'s mode is final from {@code channelActive} on.
 *
 * <p>Stateless and thread-safe.
 */
final class ConnectionMode {
    private ConnectionMode() {
    }

    /** The channel's {@link SmcdMode}; {@link SmcdMode#TCP} for any channel that is not an smcd channel. */
    static SmcdMode mode(Channel channel) {
        return channel instanceof SmcdSocketChannel ? ((SmcdSocketChannel) channel).mode() : SmcdMode.TCP;
    }

    static String describe(Channel channel) {
        if (channel instanceof SmcdSocketChannel) {
            SmcdSocketChannel smcd = (SmcdSocketChannel) channel;
            SmcdMode mode = smcd.mode();
            return mode.isSmcd() ? "SMC-D (" + mode + ")" : "TCP (fallback: " + smcd.fallbackReason() + ")";
        }
        return channel instanceof NioSocketChannel ? "TCP (nio)" : "TCP (" + channel.getClass().getSimpleName() + ")";
    }
}
