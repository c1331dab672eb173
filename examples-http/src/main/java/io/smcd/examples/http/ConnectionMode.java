package io.smcd.examples.http;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.smcd.channel.SmcdMode;
import io.smcd.channel.SmcdSocketChannel;

/**
 * How a connected channel carries its data, for people: {@code SMC-D (SMCD_LOOPBACK)}, {@code TCP (fallback: <reason>)}
 * for an smcd channel that fell back, {@code TCP (nio)}, {@code TCP (epoll)} or {@code TCP (io_uring)} for plain
 * channels, {@code UDS (nio)} or {@code UDS (epoll)} for Unix domain sockets. Read it once the channel is active: an
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
        if (channel instanceof NioDomainSocketChannel) {
            return "UDS (nio)";
        }
        if (channel instanceof EpollDomainSocketChannel) {
            return "UDS (epoll)";
        }
        if (channel instanceof NioSocketChannel) {
            return "TCP (nio)";
        }
        if (channel instanceof EpollSocketChannel) {
            return "TCP (epoll)";
        }
        if (channel instanceof IoUringSocketChannel) {
            return "TCP (io_uring)";
        }
        return "TCP (" + channel.getClass().getSimpleName() + ")";
    }
}
