package io.smcd.examples.echo;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.smcd.channel.SmcdEventLoopGroup;
import io.smcd.channel.SmcdIoHandlerConfig;
import io.smcd.channel.SmcdServerSocketChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Paths;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * An echo server on smcd or NIO: the event loop group and the server channel class are its only transport-specific
 * lines. Over smcd, smcd clients on this host get SMC-D and every other client (NIO, {@code nc}, other hosts) gets
 * plain TCP, on the same port.
 *
 * <pre>
 * java -cp examples-echo/target/examples-echo.jar io.smcd.examples.echo.EchoServer --port 8007
 * </pre>
 *
 * <p>Tests and other programs embed it with {@link #bind}, on a group they own. Thread-safe: it keeps no state.
 */
public final class EchoServer {
    static final String USAGE = String.join("\n",
            "usage: EchoServer [--transport smcd|nio] [--host 127.0.0.1] [--port 8007] [--threads 0] [--domain DIR]",
            "  --transport  smcd (SMC-D with smcd clients, TCP with the rest) or nio (plain TCP); default smcd",
            "  --host       address to bind; default 127.0.0.1 (0.0.0.0 for every interface)",
            "  --port       port to bind; default 8007 (0: any free port)",
            "  --threads    event loop threads; default 0 (Netty's default, twice the cores)",
            "  --domain     SMC-D domain directory; default /dev/shm/smcd-<user> (or -Dsmcd.domain)",
            "  --quiet      true to not print a line per accepted connection; default false",
            "Each flag can also be given as a system property, e.g. -Decho.port=8007.");
    private static final Set<String> FLAGS = Set.of("transport", "host", "port", "threads", "domain", "quiet");

    private EchoServer() {
    }

    /**
     * Binds an echo server to {@code address} on {@code group} and returns its bound server channel; closing that
     * channel stops the server. Each accepted connection is printed with its mode if {@code logConnections}.
     */
    public static Channel bind(EventLoopGroup group, Class<? extends ServerChannel> channelClass, SocketAddress address,
            boolean logConnections) throws InterruptedException {
        EchoServerHandler handler = new EchoServerHandler(logConnections);
        return new ServerBootstrap()
                .group(group)
                .channel(channelClass)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(handler);
                    }
                })
                .bind(address).sync().channel();
    }

    public static void main(String[] args) throws InterruptedException {
        Flags flags;
        boolean smcd;
        try {
            flags = new Flags(args, FLAGS, USAGE);
            smcd = flags.smcdTransport();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        int threads = flags.integer("threads", 0);
        InetSocketAddress address = new InetSocketAddress(flags.string("host", "127.0.0.1"),
                flags.integer("port", 8007));
        SmcdIoHandlerConfig config = new SmcdIoHandlerConfig();
        String domain = flags.string("domain", null);
        if (domain != null) {
            config.setDomainDirectory(Paths.get(domain));
        }

        // The only transport-specific lines: the event loop group and the server channel class.
        EventLoopGroup group = smcd
                ? new SmcdEventLoopGroup(threads, config)
                : new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        Class<? extends ServerChannel> channelClass = smcd
                ? SmcdServerSocketChannel.class
                : NioServerSocketChannel.class;

        // Ctrl-C: the JVM exits once the hooks return, so the hook itself waits until the group has released the
        // SMC-D domain; nothing stays in /dev/shm.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }, "echo-server-shutdown"));
        try {
            Channel server = bind(group, channelClass, address, !Boolean.parseBoolean(flags.string("quiet", "false")));
            System.out.println("EchoServer listening on " + server.localAddress() + " (" + describeListener(server)
                    + "); Ctrl-C to stop");
            server.closeFuture().sync();
        } finally {
            // No quiet period: nothing is submitted to the group once main is done, so the JVM can exit at once.
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
    }

    static String describeListener(Channel server) {
        if (server instanceof SmcdServerSocketChannel) {
            return ((SmcdServerSocketChannel) server).isSmcdListening()
                    ? "smcd: SMC-D for smcd clients, TCP for the rest"
                    : "smcd: TCP only, the SMC-D domain is not usable";
        }
        return "nio: TCP";
    }
}
