package io.smcd.it.grpc;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.ThreadPerTaskExecutor;
import io.smcd.channel.SmcdEventLoopGroup;
import io.smcd.channel.SmcdServerSocketChannel;
import io.smcd.channel.SmcdSocketChannel;
import io.smcd.it.PrivateDomain;
import io.smcd.it.TrackingThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * gRPC servers and channels over smcd or NIO on 127.0.0.1, as a user would configure them, with everything they run on
 * owned here: one private SMC-D domain, the event loop groups (a server group used as boss and worker, a client
 * group), the application executor, and their threads. {@link #close()} shuts all of it down, then fails if a thread
 * is still alive or the domain directory is left, and removes the directory either way.
 *
 * <p>Not thread-safe: one test thread sets it up and closes it; the servers and channels it hands out are thread-safe.
 */
final class GrpcBed implements AutoCloseable {
    static final Duration BOUND = Duration.ofSeconds(60);
    /** Above the largest test message (16 MiB) and gRPC's 4 MiB default. */
    static final int MAX_MESSAGE_BYTES = 32 << 20;

    /** Which Netty transport a server or channel uses. */
    enum Transport { SMCD, NIO }

    private final PrivateDomain domain = PrivateDomain.create();
    private final TrackingThreadFactory threads;
    private final ExecutorService executor;
    private final Map<Transport, EventLoopGroup> serverGroups = new EnumMap<>(Transport.class);
    private final Map<Transport, EventLoopGroup> clientGroups = new EnumMap<>(Transport.class);
    private final List<Server> servers = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();

    GrpcBed(String name) {
        threads = new TrackingThreadFactory(name);
        executor = Executors.newCachedThreadPool(threads);
    }

    PrivateDomain domain() {
        return domain;
    }

    private EventLoopGroup group(Map<Transport, EventLoopGroup> groups, Transport transport, int threadCount) {
        return groups.computeIfAbsent(transport, t -> t == Transport.SMCD
                ? new SmcdEventLoopGroup(threadCount, new ThreadPerTaskExecutor(threads), domain.config())
                : new MultiThreadIoEventLoopGroup(threadCount, new ThreadPerTaskExecutor(threads),
                        NioIoHandler.newFactory()));
    }

    /** Starts a server for {@code service} on an ephemeral port, recording the channels it accepts. */
    ServerSide server(Transport transport, ServerServiceDefinition service, ServerInterceptor... interceptors)
            throws IOException {
        ChannelRecorder accepted = new ChannelRecorder();
        EventLoopGroup group = group(serverGroups, transport, 2);
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .channelFactory(accepted.serverFactory(transport == Transport.SMCD
                        ? SmcdServerSocketChannel::new : NioServerSocketChannel::new))
                .bossEventLoopGroup(group)
                .workerEventLoopGroup(group)
                .executor(executor)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .addService(ServerInterceptors.intercept(service, interceptors))
                .build();
        servers.add(server);
        server.start();
        return new ServerSide(server, accepted);
    }

    /** A channel to {@code 127.0.0.1:port}, recording the Netty channels it connects with. */
    ClientSide channel(Transport transport, int port) {
        ChannelRecorder made = new ChannelRecorder();
        ManagedChannel channel = NettyChannelBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .channelFactory(made.clientFactory(transport == Transport.SMCD
                        ? SmcdSocketChannel::new : NioSocketChannel::new))
                .eventLoopGroup(group(clientGroups, transport, 1))
                .executor(executor)
                .offloadExecutor(executor)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .usePlaintext()
                .build();
        channels.add(channel);
        return new ClientSide(channel, made);
    }

    /** Shuts everything down in order, each step even when an earlier one failed, then checks nothing is left. */
    @Override
    public void close() throws Exception {
        Throwable failure = null;
        for (ManagedChannel channel : channels) {
            channel.shutdownNow();
        }
        for (ManagedChannel channel : channels) {
            failure = attempt(failure, () -> check(channel.awaitTermination(BOUND.toMillis(), TimeUnit.MILLISECONDS),
                    "channel did not terminate: " + channel));
        }
        for (Server server : servers) {
            server.shutdownNow();
        }
        for (Server server : servers) {
            failure = attempt(failure, () -> check(server.awaitTermination(BOUND.toMillis(), TimeUnit.MILLISECONDS),
                    "server did not terminate: " + server));
        }
        List<EventLoopGroup> groups = new ArrayList<>(clientGroups.values());
        groups.addAll(serverGroups.values());
        for (EventLoopGroup group : groups) {
            group.shutdownGracefully(0, 10, TimeUnit.SECONDS);
        }
        for (EventLoopGroup group : groups) {
            failure = attempt(failure, () -> check(group.terminationFuture().await(BOUND.toMillis()),
                    "event loop group did not terminate"));
        }
        executor.shutdownNow();
        failure = attempt(failure, () -> check(executor.awaitTermination(BOUND.toMillis(), TimeUnit.MILLISECONDS),
                "application executor did not terminate"));
        failure = attempt(failure, () -> threads.assertAllTerminated(BOUND));
        failure = attempt(failure, domain::assertRemoved);
        failure = attempt(failure, domain::close);
        if (failure instanceof Exception) {
            throw (Exception) failure;
        }
        if (failure != null) {
            throw (Error) failure;
        }
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }

    /** Runs {@code step}; returns the first failure so far, with later ones suppressed in it. */
    private static Throwable attempt(Throwable failure, Step step) {
        try {
            step.run();
            return failure;
        } catch (Exception | Error e) {
            if (failure == null) {
                return e;
            }
            failure.addSuppressed(e);
            return failure;
        }
    }

    /** One shutdown step. */
    private interface Step {
        void run() throws Exception;
    }

    /** A started server and the channels it accepted. */
    static final class ServerSide {
        final Server server;
        final ChannelRecorder accepted;

        ServerSide(Server server, ChannelRecorder accepted) {
            this.server = server;
            this.accepted = accepted;
        }

        int port() {
            return server.getPort();
        }
    }

    /** A gRPC channel and the Netty channels it connected with. */
    static final class ClientSide {
        final ManagedChannel channel;
        final ChannelRecorder made;

        ClientSide(ManagedChannel channel, ChannelRecorder made) {
            this.channel = channel;
            this.made = made;
        }
    }
}
