package io.smcd.bench.suite;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SelectStrategy;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.smcd.channel.SmcdChannelOption;
import io.smcd.channel.SmcdIoHandler;
import io.smcd.channel.SmcdIoHandlerConfig;
import io.smcd.channel.SmcdMode;
import io.smcd.channel.SmcdServerSocketChannel;
import io.smcd.channel.SmcdSocketChannel;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;

/**
 * How one {@link SuiteTransport} is built in a client or server JVM: its event loop group, channel classes, addresses
 * and options. Every transport gets the same Netty settings (allocator, water marks, TCP_NODELAY where it applies);
 * only the smcd ones get the SMC-D options, set on both sides so that a connection that does not use the wanted
 * device shows up as a fallback instead of silently measuring something else.
 *
 * <p>Immutable; thread-safe.
 */
public final class NettyTransport {
    /** Water marks of every connection: large enough that a 64000-byte or 128 KiB writer keeps the pipe full. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(512 * 1024, 1024 * 1024);

    private final SuiteTransport transport;
    private final Path domainDirectory;
    private final Path socketDirectory;
    private final int dmbBytes;
    private final long spinNanos;
    private final NettyClasses classes;

    /**
     * @param domainDirectory the run's private smcd domain
     * @param socketDirectory where Unix domain sockets are created
     * @param dmbBytes        smcd RMB size
     * @param spinNanos       smcd spin budget, negative for the default
     */
    public NettyTransport(SuiteTransport transport, Path domainDirectory, Path socketDirectory, int dmbBytes, long spinNanos) {
        this.transport = transport;
        this.domainDirectory = domainDirectory;
        this.socketDirectory = socketDirectory;
        this.dmbBytes = dmbBytes;
        this.spinNanos = spinNanos;
        this.classes = NettyClasses.of(transport);
    }

    public SuiteTransport transport() {
        return transport;
    }

    /** A new group of {@code threads} event loops for this transport (0: Netty's default, twice the cores). */
    public EventLoopGroup newGroup(int threads, String name) {
        ThreadFactory threadFactory = new DefaultThreadFactory(name);
        if (transport.isSmcd()) {
            return new MultiThreadIoEventLoopGroup(threads, threadFactory, SmcdIoHandler.newFactory(smcdConfig()));
        }
        return new MultiThreadIoEventLoopGroup(threads, threadFactory, classes.handler().get());
    }

    /** The smcd loops' configuration: the run's domain and spin budget. */
    public SmcdIoHandlerConfig smcdConfig() {
        SmcdIoHandlerConfig config = new SmcdIoHandlerConfig().setDomainDirectory(domainDirectory);
        if (spinNanos >= 0) {
            config.setSpinNanos(spinNanos);
        }
        return config;
    }

    /**
     * The SMC-D options of every smcd connection, set on both sides (client options, server child options): only the
     * transport's device and the run's DMB size. Empty for the other transports.
     */
    public Map<ChannelOption<?>, Object> smcdOptions() {
        return transport.isSmcd() ? Map.of(SmcdChannelOption.SMCD_DEVICES, List.of(expectedMode()), SmcdChannelOption.SMCD_DMB_SIZE,
                dmbBytes) : Map.of();
    }

    /** {@code result}, or its fallback if no channel was made or one of {@code channels} does not count ({@link #modeProblem}). */
    SuiteResult checkChannels(SuiteResult result, Collection<? extends Channel> channels) {
        if (channels.isEmpty()) {
            return result.asFallback("no connection was made");
        }
        for (Channel channel : channels) {
            String problem = modeProblem(channel);
            if (problem != null) {
                return result.asFallback(problem);
            }
        }
        return result;
    }

    /**
     * Why {@code channel} does not count for this transport, or null: it is not of the transport's client channel class
     * (a library chose another transport), or it is an smcd channel that ran another mode.
     */
    public String modeProblem(Channel channel) {
        if (!clientChannel().isInstance(channel)) {
            return "ran on " + channel.getClass().getSimpleName() + " instead of " + clientChannel().getSimpleName();
        }
        SmcdMode expected = expectedMode();
        if (expected == null) {
            return null;
        }
        SmcdSocketChannel smcd = (SmcdSocketChannel) channel;
        SmcdMode mode = smcd.mode();
        return mode == expected ? null : "ran " + mode + " instead of " + expected + ": " + smcd.fallbackReason();
    }

    /** How many event loops {@code group} has. */
    public static int loops(EventLoopGroup group) {
        int loops = 0;
        for (Object ignored : group) {
            loops++;
        }
        return loops;
    }

    public Class<? extends Channel> clientChannel() {
        return classes.client();
    }

    public Class<? extends ServerChannel> serverChannel() {
        return classes.server();
    }

    /**
     * What one transport is made of in Netty: its I/O handler (none for smcd, whose group needs the domain) and its two
     * channel classes.
     */
    private record NettyClasses(Supplier<IoHandlerFactory> handler, Class<? extends Channel> client, Class<? extends ServerChannel> server) {
        static NettyClasses of(SuiteTransport transport) {
            return switch (transport) {
                case SMCD_LOOPBACK, SMCD_COPY -> new NettyClasses(null, SmcdSocketChannel.class, SmcdServerSocketChannel.class);
                case NIO_TCP -> new NettyClasses(NioIoHandler::newFactory, NioSocketChannel.class, NioServerSocketChannel.class);
                case EPOLL_TCP -> new NettyClasses(EpollIoHandler::newFactory, EpollSocketChannel.class, EpollServerSocketChannel.class);
                // Poll without blocking whenever there are tasks, otherwise spin in epoll_wait(0): Netty's busy-wait.
                case EPOLL_BUSY_TCP -> new NettyClasses(() -> EpollIoHandler.newFactory(0, () -> (selectNow, hasTasks) -> hasTasks
                        ? selectNow.get() : SelectStrategy.BUSY_WAIT), EpollSocketChannel.class, EpollServerSocketChannel.class);
                case EPOLL_UDS -> new NettyClasses(EpollIoHandler::newFactory, EpollDomainSocketChannel.class,
                        EpollServerDomainSocketChannel.class);
                case NIO_UDS -> new NettyClasses(NioIoHandler::newFactory, NioDomainSocketChannel.class, NioServerDomainSocketChannel.class);
                case IO_URING_TCP -> new NettyClasses(IoUringIoHandler::newFactory, IoUringSocketChannel.class,
                        IoUringServerSocketChannel.class);
            };
        }
    }

    /** Where a server named {@code role} listens: 127.0.0.1 on a free port, or a socket file in the socket folder. */
    public SocketAddress bindAddress(String role) {
        if (transport.isDomainSocket()) {
            Path path = socketDirectory.resolve(transport.option() + "-" + role + ".sock");
            return transport == SuiteTransport.EPOLL_UDS ? new DomainSocketAddress(path.toFile()) : UnixDomainSocketAddress.of(path);
        }
        return new InetSocketAddress("127.0.0.1", 0);
    }

    /** The SMC-D device every connection of this transport must use, or null for the others. */
    public SmcdMode expectedMode() {
        return transport == SuiteTransport.SMCD_LOOPBACK ? SmcdMode.SMCD_LOOPBACK
                : transport == SuiteTransport.SMCD_COPY ? SmcdMode.SMCD_COPY : null;
    }

    public Bootstrap configure(Bootstrap bootstrap) {
        bootstrap.channel(clientChannel()).option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK);
        if (!transport.isDomainSocket()) {
            bootstrap.option(ChannelOption.TCP_NODELAY, true);
        }
        smcdOptions().forEach((option, value) -> bootstrap.option(raw(option), value));
        return bootstrap;
    }

    public ServerBootstrap configure(ServerBootstrap bootstrap) {
        bootstrap.channel(serverChannel()).childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK);
        if (!transport.isDomainSocket()) {
            bootstrap.option(ChannelOption.SO_BACKLOG, 1024).childOption(ChannelOption.TCP_NODELAY, true);
        }
        smcdOptions().forEach((option, value) -> bootstrap.childOption(raw(option), value));
        return bootstrap;
    }

    /** An option of a map of options, typed for a bootstrap's setter; the map pairs each option with a value of its type. */
    @SuppressWarnings("unchecked")
    static ChannelOption<Object> raw(ChannelOption<?> option) {
        return (ChannelOption<Object>) option;
    }

    /** Renders a bound address for the line protocol: {@code tcp:127.0.0.1:port} or {@code uds:/path}. */
    public static String render(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return "tcp:" + inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return "uds:" + socketPath(address);
    }

    /** The file of a Unix socket address, epoll's or the JDK's. */
    public static Path socketPath(SocketAddress address) {
        if (address instanceof DomainSocketAddress domain) {
            return Path.of(domain.path());
        }
        if (address instanceof UnixDomainSocketAddress unix) {
            return unix.getPath();
        }
        throw new IllegalArgumentException("address=" + address + " is neither TCP nor a Unix socket");
    }

    /** The address a client of this transport connects to, from {@link #render}. */
    public SocketAddress parse(String rendered) {
        if (rendered.startsWith("tcp:")) {
            String hostPort = rendered.substring(4);
            int colon = hostPort.lastIndexOf(':');
            String host = hostPort.substring(0, colon);
            if (!host.equals("127.0.0.1")) {
                throw new IllegalArgumentException("address=" + rendered + " is not on loopback; the suite only connects to 127.0.0.1");
            }
            return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1)));
        }
        if (rendered.startsWith("uds:")) {
            String path = rendered.substring(4);
            return transport == SuiteTransport.EPOLL_UDS ? new DomainSocketAddress(path) : UnixDomainSocketAddress.of(path);
        }
        throw new IllegalArgumentException("address=" + rendered + " has no tcp: or uds: prefix");
    }
}
