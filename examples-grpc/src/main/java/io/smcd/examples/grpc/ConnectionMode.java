package io.smcd.examples.grpc;

import io.netty.channel.Channel;
import io.smcd.channel.SmcdMode;
import io.smcd.channel.SmcdSocketChannel;

/**
 * How a connected channel carries its data, for people: {@code SMC-D (SMCD_LOOPBACK)}, {@code TCP (fallback: <reason>)}
 * for an smcd channel that fell back, {@code TCP (nio)} for a plain NIO one. Read it once the channel is active: an
 * {@link SmcdSocketChannel}'s mode is final from {@code channelActive} on.
 *
 * <p>Stateless and thread-safe.
 */
final class ConnectionMode {
    private ConnectionMode() {
    }

    static String describe(Channel channel) {
        if (channel instanceof SmcdSocketChannel) {
            SmcdSocketChannel smcd = (SmcdSocketChannel) channel;
            SmcdMode mode = smcd.mode();
            return mode.isSmcd() ? "SMC-D (" + mode + ")" : "TCP (fallback: " + smcd.fallbackReason() + ")";
        }
        return "TCP (nio)";
    }
}
