package io.smcd.examples.grpc;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.smcd.channel.SmcdEventLoopGroup;
import io.smcd.channel.SmcdIoHandlerConfig;
import io.smcd.channel.SmcdServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Paths;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The greeter on a gRPC-Netty server over smcd (or NIO with {@code --transport nio}): smcd clients on this host talk
 * to it over SMC-D, every other gRPC client over TCP, on one port. It prints how each accepted connection carries its
 * data.
 *
 * <pre>
 * java -cp examples-grpc/target/examples-grpc.jar io.smcd.examples.grpc.GreeterServer --port 50051
 * </pre>
 *
 * <p>Tests embed it with {@link #start} on a group they own. Thread-safe: it keeps no state.
 */
public final class GreeterServer {
    static final String USAGE = String.join("\n",
            "usage: GreeterServer [--transport smcd|nio] [--host 127.0.0.1] [--port 50051] [--threads 0] [--domain DIR]",
            "  --transport  smcd (SMC-D with smcd clients on this host, TCP with the rest) or nio; default smcd",
            "  --host       address to bind; default 127.0.0.1",
            "  --port       port to bind; default 50051 (0: any free port)",
            "  --threads    event loop threads; default 0 (Netty's default, twice the cores)",
            "  --domain     SMC-D domain directory; default /dev/shm/smcd-<user> (or -Dsmcd.domain)",
            "Each flag can also be given as a system property, e.g. -Dgreeter.port=50051.");
    private static final Set<String> FLAGS = Set.of("transport", "host", "port", "threads", "domain");

    private GreeterServer() {
    }

    /**
     * Starts the greeter on {@code address} with {@code group} as boss and worker group and server channels from
     * {@code serverChannels}, reporting each accepted connection's mode to {@code log}.
     */
    public static Server start(EventLoopGroup group, Supplier<? extends ServerChannel> serverChannels,
            InetSocketAddress address, Consumer<String> log) throws IOException {
        return NettyServerBuilder.forAddress(address)
                .channelFactory(() -> {
                    ServerChannel channel = serverChannels.get();
                    channel.pipeline().addFirst(new AcceptedConnectionLog(log));
                    return channel;
                })
                .bossEventLoopGroup(group)
                .workerEventLoopGroup(group)
                .addService(Greeter.service())
                .build()
                .start();
    }

    public static void main(String[] args) throws Exception {
        Flags flags;
        boolean smcd;
        try {
            flags = new Flags(args, FLAGS, "greeter.", USAGE);
            smcd = flags.smcdTransport();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        InetSocketAddress address = new InetSocketAddress(flags.string("host", "127.0.0.1"),
                flags.integer("port", 50051, 65535));
        int threads = flags.integer("threads", 0, 1024);
        SmcdIoHandlerConfig config = new SmcdIoHandlerConfig();
        String domain = flags.string("domain", null);
        if (domain != null) {
            config.setDomainDirectory(Paths.get(domain));
        }

        // The only transport-specific lines: the event loop group and the server channel class.
        EventLoopGroup group = smcd
                ? new SmcdEventLoopGroup(threads, config)
                : new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        Supplier<ServerChannel> serverChannels = smcd ? SmcdServerSocketChannel::new : NioServerSocketChannel::new;

        try {
            Server server = start(group, serverChannels, address, System.out::println);
            // Ctrl-C: the JVM exits once the hooks return, so the hook waits until the group has released the SMC-D
            // domain; nothing stays in /dev/shm.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.shutdownNow();
                try {
                    server.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
            }, "greeter-server-shutdown"));
            System.out.println("GreeterServer listening on " + address.getHostString() + ":" + server.getPort()
                    + " over " + (smcd ? "smcd" : "nio") + "; Ctrl-C to stop");
            server.awaitTermination();
        } finally {
            // No quiet period: nothing is submitted to the group once main is done, so the JVM can exit at once.
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
    }
}
