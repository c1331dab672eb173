package io.smcd.bench.suite;

import io.smcd.bench.common.Named;

import java.util.List;
import java.util.Map;

/**
 * The transports the suite compares, in report order. {@link #NIO_TCP} is the baseline every ratio refers to.
 * How each one is built lives in {@link NettyTransport}; this enum only names them and knows which need a native
 * library that may not load.
 */
public enum SuiteTransport implements Named {
    /** smcd over the loopback ISM device (the sender writes straight into the peer's RMB). */
    SMCD_LOOPBACK("smcd-loopback"),
    /** smcd over the copy ISM device (own sndbuf, then move_data: two copies on send). */
    SMCD_COPY("smcd-copy"),
    /** Netty NIO TCP over 127.0.0.1: the baseline. */
    NIO_TCP("nio-tcp"),
    /** Netty native epoll TCP, default (blocking) select strategy. */
    EPOLL_TCP("epoll-tcp"),
    /** Netty native epoll TCP whose loops never block (SelectStrategy.BUSY_WAIT): the fair peer of a spinning transport. */
    EPOLL_BUSY_TCP("epoll-busy-tcp"),
    /** Netty native epoll Unix domain socket. */
    EPOLL_UDS("epoll-uds"),
    /** Netty NIO Unix domain socket (JDK 16+ UnixDomainSocketAddress). */
    NIO_UDS("nio-uds"),
    /** Netty io_uring TCP, where the kernel and sandbox allow io_uring. */
    IO_URING_TCP("io_uring-tcp");

    /** The transport every ratio is relative to. */
    public static final SuiteTransport BASELINE = NIO_TCP;

    private final String option;

    SuiteTransport(String option) {
        this.option = option;
    }

    /** The short name used on the command line, in tables, JSON and CSV. */
    @Override
    public String option() {
        return option;
    }

    public boolean isSmcd() {
        return this == SMCD_LOOPBACK || this == SMCD_COPY;
    }

    public boolean isDomainSocket() {
        return this == EPOLL_UDS || this == NIO_UDS;
    }

    boolean isEpoll() {
        return this == EPOLL_TCP || this == EPOLL_BUSY_TCP || this == EPOLL_UDS;
    }

    /**
     * Why this transport cannot run in this JVM (its native library does not load), or null if it can. Touches
     * the native classes only for the transports that need them.
     */
    public String unavailableReason() {
        try {
            if (isEpoll()) {
                return io.netty.channel.epoll.Epoll.isAvailable() ? null
                        : "epoll unavailable: " + io.netty.channel.epoll.Epoll.unavailabilityCause();
            }
            if (this == IO_URING_TCP) {
                return io.netty.channel.uring.IoUring.isAvailable() ? null
                        : "io_uring unavailable: " + io.netty.channel.uring.IoUring.unavailabilityCause();
            }
            return null;
        } catch (LinkageError e) {
            return "native transport classes do not load: " + e;
        }
    }

    /** Parses a name ({@link #option()} or the enum name, any case); "all" is handled by {@link #parseList}. */
    public static SuiteTransport ofOption(String name) {
        return Named.of(SuiteTransport.class, name);
    }

    /** A comma-separated list, "all", or "smcd" (both devices); duplicates dropped, report order kept. */
    static List<SuiteTransport> parseList(String list) {
        return Named.list(SuiteTransport.class, list, Map.of("smcd", List.of(SMCD_LOOPBACK, SMCD_COPY))).stream().sorted().toList();
    }

    @Override
    public String toString() {
        return option;
    }
}
