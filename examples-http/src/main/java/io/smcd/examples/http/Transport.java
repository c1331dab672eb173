package io.smcd.examples.http;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.smcd.channel.SmcdEventLoopGroup;
import io.smcd.channel.SmcdIoHandlerConfig;
import io.smcd.channel.SmcdServerSocketChannel;
import io.smcd.channel.SmcdSocketChannel;
import java.util.Locale;

/**
 * The transports the HTTP examples run on, named as on the command line. Each one is an event loop group and two
 * channel classes: the only lines that change between them. Thread-safe (an enum).
 */
enum Transport {
    /** SMC-D with smcd peers on this host, TCP with the rest. */
    SMCD {
        @Override
        EventLoopGroup newGroup(int threads, SmcdIoHandlerConfig config) {
            return new SmcdEventLoopGroup(threads, config);
        }

        @Override
        Class<? extends ServerChannel> serverChannelClass() {
            return SmcdServerSocketChannel.class;
        }

        @Override
        Class<? extends SocketChannel> socketChannelClass() {
            return SmcdSocketChannel.class;
        }
    },
    /** Netty's NIO: plain TCP. */
    NIO {
        @Override
        EventLoopGroup newGroup(int threads, SmcdIoHandlerConfig config) {
            return new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        }

        @Override
        Class<? extends ServerChannel> serverChannelClass() {
            return NioServerSocketChannel.class;
        }

        @Override
        Class<? extends SocketChannel> socketChannelClass() {
            return NioSocketChannel.class;
        }
    },
    /** Netty's native epoll (Linux x86_64 and aarch64): plain TCP, the benchmarks' fastest TCP baseline. */
    EPOLL {
        @Override
        EventLoopGroup newGroup(int threads, SmcdIoHandlerConfig config) {
            Epoll.ensureAvailability();
            return new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory());
        }

        @Override
        Class<? extends ServerChannel> serverChannelClass() {
            return EpollServerSocketChannel.class;
        }

        @Override
        Class<? extends SocketChannel> socketChannelClass() {
            return EpollSocketChannel.class;
        }
    },
    /** Netty's native io_uring (Linux 5.14 and later, x86_64 and aarch64): plain TCP. */
    IO_URING {
        @Override
        EventLoopGroup newGroup(int threads, SmcdIoHandlerConfig config) {
            IoUring.ensureAvailability();
            return new MultiThreadIoEventLoopGroup(threads, IoUringIoHandler.newFactory());
        }

        @Override
        Class<? extends ServerChannel> serverChannelClass() {
            return IoUringServerSocketChannel.class;
        }

        @Override
        Class<? extends SocketChannel> socketChannelClass() {
            return IoUringSocketChannel.class;
        }
    };

    /** A group of {@code threads} loops (0: Netty's default); {@code config} only matters for {@link #SMCD}. */
    abstract EventLoopGroup newGroup(int threads, SmcdIoHandlerConfig config);

    abstract Class<? extends ServerChannel> serverChannelClass();

    abstract Class<? extends SocketChannel> socketChannelClass();

    /** The client channel class for Unix domain sockets, which NIO and epoll have. */
    Class<? extends Channel> domainSocketChannelClass() {
        switch (this) {
            case NIO:
                return NioDomainSocketChannel.class;
            case EPOLL:
                Epoll.ensureAvailability();
                return EpollDomainSocketChannel.class;
            default:
                throw new IllegalArgumentException("transport=" + flagName() + " has no Unix-socket channel; use nio or epoll");
        }
    }

    /** The command-line name: {@code smcd}, {@code nio}, {@code epoll}, {@code io_uring}. */
    String flagName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Transport parse(String name) {
        for (Transport transport : values()) {
            if (transport.flagName().equals(name)) {
                return transport;
            }
        }
        throw new IllegalArgumentException("transport=" + name + " must be smcd, nio, epoll or io_uring");
    }
}
