package io.smcd.it;

import io.netty.channel.Channel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.smcd.channel.SmcdFallbackReason;
import io.smcd.channel.SmcdMode;
import io.smcd.channel.SmcdSocketChannel;
import java.util.List;

/** Assertions on how the Netty channels a library made carried their data. Stateless. */
public final class ChannelModes {
    private ChannelModes() {
    }

    /** Fails unless {@code channels} are {@code count} {@link SmcdSocketChannel}s, each in mode {@code expected}. */
    public static void assertSmcd(String side, List<? extends Channel> channels, int count, SmcdMode expected) {
        assertCount(side, channels, count);
        for (Channel channel : channels) {
            if (!(channel instanceof SmcdSocketChannel)) {
                throw new AssertionError(side + ": not an smcd channel: " + channel);
            }
            SmcdSocketChannel smcd = (SmcdSocketChannel) channel;
            if (smcd.mode() != expected) {
                throw new AssertionError(side + ": channel=" + channel + " mode=" + smcd.mode() + " expected="
                        + expected + " fallbackReason=" + smcd.fallbackReason());
            }
        }
    }

    /** Fails unless {@code channels} are {@code count} smcd channels that run over TCP for {@code reason}. */
    public static void assertFallback(String side, List<? extends Channel> channels, int count,
            SmcdFallbackReason reason) {
        assertSmcd(side, channels, count, SmcdMode.TCP);
        for (Channel channel : channels) {
            SmcdFallbackReason actual = ((SmcdSocketChannel) channel).fallbackReason();
            if (!reason.equals(actual)) {
                throw new AssertionError(side + ": channel=" + channel + " fallbackReason=" + actual + " expected="
                        + reason);
            }
        }
    }

    /** Fails unless {@code channels} are {@code count} plain {@link NioSocketChannel}s. */
    public static void assertPlainNio(String side, List<? extends Channel> channels, int count) {
        assertCount(side, channels, count);
        for (Channel channel : channels) {
            if (channel.getClass() != NioSocketChannel.class) {
                throw new AssertionError(side + ": not a plain NIO channel: " + channel);
            }
        }
    }

    private static void assertCount(String side, List<? extends Channel> channels, int count) {
        if (channels.size() != count) {
            throw new AssertionError(side + ": connections=" + channels.size() + " expected=" + count + ": "
                    + channels);
        }
    }
}
