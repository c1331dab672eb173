package io.smcd.reactor;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.smcd.channel.SmcdIoHandler;
import io.smcd.channel.SmcdIoHandlerConfig;
import io.smcd.channel.SmcdServerSocketChannel;
import io.smcd.channel.SmcdSocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

/**
 * Reactor Netty's {@link LoopResources} on smcd: pass it to {@code runOn(...)} of an {@code HttpServer},
 * {@code HttpClient}, {@code TcpServer} or {@code TcpClient} and their TCP connections negotiate SMC-D with smcd peers
 * on this host and stay TCP with everyone else.
 *
 * <pre>
 * LoopResources loops = SmcdLoopResources.create("http");
 * DisposableServer server = HttpServer.create().runOn(loops).port(8080).handle(...).bindNow();
 * HttpClient client = HttpClient.create().runOn(loops);
 * ...
 * loops.disposeLater().block();
 * </pre>
 *
 * <p>The event loop group is one {@link SmcdIoHandler} group of {@code workerCount} threads named
 * {@code <prefix>-smcd-<n>}, created on first use and shared by servers (accepting and serving) and clients; clients
 * get it colocated, as Reactor Netty's default resources do, so a client called from an event loop stays on that loop.
 * {@code useNative} is ignored: the group is always smcd. On that group, {@link #onChannel} makes
 * {@link SmcdSocketChannel} for {@link SocketChannel} and {@link SmcdServerSocketChannel} for
 * {@link ServerSocketChannel}; every other channel type (the DNS resolver's {@code DatagramChannel}, domain sockets)
 * gets what Reactor Netty gives a NIO group, running on the same smcd group, which also runs NIO channels. For a group
 * it did not create it answers as Reactor Netty's default does.
 *
 * <p>{@link #disposeLater} shuts the group down and completes once it has terminated: every loop has closed its
 * channels, run its last task and released the SMC-D domain, so the domain directory is gone when this was its last
 * member (the threads themselves exit right after). After that, asking for a group fails with
 * {@link IllegalStateException}.
 *
 * <p>Thread-safe: every method may be called from any thread; the group is created exactly once.
 */
public final class SmcdLoopResources implements LoopResources {
    private final String prefix;
    private final int workerCount;
    private final boolean daemon;
    private final IoHandlerFactory handlerFactory;
    private final Object lock = new Object();
    /** Written once under {@link #lock}; volatile so that the common path reads it without the lock. */
    private volatile Loops loops;
    /** Guarded by {@link #lock}; volatile for {@link #isDisposed()}. */
    private volatile boolean disposed;

    private SmcdLoopResources(String prefix, int workerCount, boolean daemon, SmcdIoHandlerConfig config) {
        if (Objects.requireNonNull(prefix, "prefix").isEmpty()) {
            throw new IllegalArgumentException("prefix='' must not be empty");
        }
        if (workerCount < 1) {
            throw new IllegalArgumentException("workerCount=" + workerCount + " must be >= 1");
        }
        this.prefix = prefix;
        this.workerCount = workerCount;
        this.daemon = daemon;
        this.handlerFactory = SmcdIoHandler.newFactory(Objects.requireNonNull(config, "config"));
    }

    /**
     * Resources with Reactor Netty's default worker count ({@link LoopResources#DEFAULT_IO_WORKER_COUNT}), daemon
     * threads and the default smcd config, as {@link LoopResources#create(String)}.
     */
    public static LoopResources create(String prefix) {
        return create(prefix, DEFAULT_IO_WORKER_COUNT, true);
    }

    /** Resources with {@code workerCount} threads, daemon or not, and the default smcd config. */
    public static LoopResources create(String prefix, int workerCount, boolean daemon) {
        return create(prefix, workerCount, daemon, new SmcdIoHandlerConfig());
    }

    /** Resources with {@code workerCount} threads, daemon or not, whose handlers use {@code config} (copied now). */
    public static LoopResources create(String prefix, int workerCount, boolean daemon, SmcdIoHandlerConfig config) {
        return new SmcdLoopResources(prefix, workerCount, daemon, config);
    }

    @Override
    public EventLoopGroup onServer(boolean useNative) {
        return loops().group;
    }

    @Override
    public EventLoopGroup onClient(boolean useNative) {
        return loops().colocated;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <CHANNEL extends Channel> CHANNEL onChannel(Class<CHANNEL> channelType, EventLoopGroup group) {
        if (isOwn(group)) {
            if (channelType.equals(SocketChannel.class)) {
                return (CHANNEL) new SmcdSocketChannel();
            }
            if (channelType.equals(ServerSocketChannel.class)) {
                return (CHANNEL) new SmcdServerSocketChannel();
            }
        }
        return LoopResources.super.onChannel(channelType, group);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <CHANNEL extends Channel> Class<? extends CHANNEL> onChannelClass(Class<CHANNEL> channelType,
            EventLoopGroup group) {
        if (isOwn(group)) {
            if (channelType.equals(SocketChannel.class)) {
                return (Class<? extends CHANNEL>) SmcdSocketChannel.class;
            }
            if (channelType.equals(ServerSocketChannel.class)) {
                return (Class<? extends CHANNEL>) SmcdServerSocketChannel.class;
            }
        }
        return LoopResources.super.onChannelClass(channelType, group);
    }

    @Override
    public boolean daemon() {
        return daemon;
    }

    @Override
    public Mono<Void> disposeLater(Duration quietPeriod, Duration timeout) {
        return Mono.defer(() -> {
            Loops created;
            synchronized (lock) {
                disposed = true;
                created = loops;
            }
            if (created == null) {
                return Mono.empty();
            }
            EventLoopGroup group = created.group;
            group.shutdownGracefully(quietPeriod.toMillis(), timeout.toMillis(), TimeUnit.MILLISECONDS);
            return Mono.<Void>create(sink -> group.terminationFuture().addListener(done -> sink.success()))
                    .timeout(timeout, Mono.error(() -> new IllegalStateException("smcd event loops not terminated: prefix="
                            + prefix + ", timeoutMillis=" + timeout.toMillis())));
        });
    }

    @Override
    public boolean isDisposed() {
        return disposed;
    }

    @Override
    public String toString() {
        return "SmcdLoopResources(prefix=" + prefix + ", workerCount=" + workerCount + ", daemon=" + daemon
                + ", disposed=" + disposed + ")";
    }

    private boolean isOwn(EventLoopGroup group) {
        Loops created = loops;
        return created != null && (group == created.group || group == created.colocated);
    }

    private Loops loops() {
        Loops created = loops;
        if (created != null && !disposed) {
            return created;
        }
        synchronized (lock) {
            if (disposed) {
                throw new IllegalStateException("smcd loop resources disposed: prefix=" + prefix);
            }
            if (loops == null) {
                EventLoopGroup group = new MultiThreadIoEventLoopGroup(workerCount,
                        new SmcdLoopThreadFactory(prefix, daemon), handlerFactory);
                loops = new Loops(group, LoopResources.colocate(group));
            }
            return loops;
        }
    }

    /** The group and its colocated view for clients. */
    private static final class Loops {
        final EventLoopGroup group;
        final EventLoopGroup colocated;

        Loops(EventLoopGroup group, EventLoopGroup colocated) {
            this.group = group;
            this.colocated = colocated;
        }
    }
}
