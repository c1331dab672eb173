package io.smcd.examples.grpc;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.smcd.channel.SmcdEventLoopGroup;
import io.smcd.channel.SmcdIoHandlerConfig;
import io.smcd.channel.SmcdSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A greeter client on gRPC-Netty over smcd (or NIO with {@code --transport nio}): one unary call and one
 * server-streaming call, then the mode of each connection the channel made.
 *
 * <pre>
 * java -cp examples-grpc/target/examples-grpc.jar io.smcd.examples.grpc.GreeterClient --port 50051 --name smcd
 * </pre>
 *
 * <p>Tests run it with {@link #run} on a group they own. Thread-safe: each run keeps its own state.
 */
public final class GreeterClient {
    static final String USAGE = String.join("\n",
            "usage: GreeterClient [--transport smcd|nio] [--host 127.0.0.1] [--port 50051] [--name world] [--count 3]",
            "                     [--threads 0] [--domain DIR]",
            "  --transport  smcd (SMC-D if the server is an smcd server on this host, else TCP) or nio; default smcd",
            "  --host, --port  the greeter server; default 127.0.0.1:50051",
            "  --name       who to greet; default world",
            "  --count      greetings asked for on the streaming call; default 3",
            "  --threads    event loop threads; default 0 (Netty's default, twice the cores)",
            "  --domain     SMC-D domain directory; default /dev/shm/smcd-<user> (or -Dsmcd.domain)",
            "Each flag can also be given as a system property, e.g. -Dgreeter.name=smcd.");
    private static final Set<String> FLAGS = Set.of("transport", "host", "port", "name", "count", "threads",
            "domain");

    private GreeterClient() {
    }

    /**
     * Calls the greeter at {@code host:port} over a channel on {@code group} whose connections come from
     * {@code channels}, printing each answer and then each connection's mode to {@code out}; returns the connections.
     */
    public static List<Channel> run(EventLoopGroup group, Supplier<? extends Channel> channels, String host, int port,
            String name, int count, Consumer<String> out) throws InterruptedException {
        List<Channel> connections = new CopyOnWriteArrayList<>();
        ManagedChannel channel = NettyChannelBuilder.forAddress(host, port)
                .channelFactory(() -> {
                    Channel connection = channels.get();
                    connections.add(connection);
                    return connection;
                })
                .eventLoopGroup(group)
                .usePlaintext()
                .build();
        try {
            byte[] greeting = ClientCalls.blockingUnaryCall(channel, Greeter.SAY_HELLO, CallOptions.DEFAULT,
                    name.getBytes(StandardCharsets.UTF_8));
            out.accept("SayHello: " + new String(greeting, StandardCharsets.UTF_8));
            Iterator<byte[]> greetings = ClientCalls.blockingServerStreamingCall(channel, Greeter.STREAM_GREETINGS,
                    CallOptions.DEFAULT, Greeter.streamRequest(count, name));
            while (greetings.hasNext()) {
                out.accept("StreamGreetings: " + new String(greetings.next(), StandardCharsets.UTF_8));
            }
            for (Channel connection : connections) {
                out.accept("connection " + connection.localAddress() + " -> " + connection.remoteAddress() + ": "
                        + ConnectionMode.describe(connection));
            }
            return new ArrayList<>(connections);
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    public static void main(String[] args) throws Exception {
        Flags flags;
        boolean smcd;
        int port;
        int count;
        int threads;
        try {
            flags = new Flags(args, FLAGS, "greeter.", USAGE);
            smcd = flags.smcdTransport();
            port = flags.integer("port", 50051, 65535);
            count = flags.integer("count", 3, Greeter.MAX_GREETINGS);
            threads = flags.integer("threads", 0, 1024);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        SmcdIoHandlerConfig config = new SmcdIoHandlerConfig();
        String domain = flags.string("domain", null);
        if (domain != null) {
            config.setDomainDirectory(Paths.get(domain));
        }

        // The only transport-specific lines: the event loop group and the channel class.
        EventLoopGroup group = smcd
                ? new SmcdEventLoopGroup(threads, config)
                : new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        Supplier<Channel> channels = smcd ? SmcdSocketChannel::new : NioSocketChannel::new;

        try {
            run(group, channels, flags.string("host", "127.0.0.1"), port, flags.string("name", "world"), count,
                    System.out::println);
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }
}
