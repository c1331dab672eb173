package io.smcd.examples.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.smcd.channel.SmcdIoHandlerConfig;
import io.smcd.channel.SmcdServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/1.1 keep-alive server with {@code /hello}, {@code /bytes?size=N} and {@code /files/<name>} (a
 * {@code FileRegion} from a directory). On smcd it answers curl and wrk over TCP and smcd clients on this host over
 * SMC-D, on the same port; {@code --transport nio}, {@code epoll} or {@code io_uring} make it a plain Netty server to
 * compare with.
 *
 * <pre>
 * java -cp examples-http/target/examples-http.jar io.smcd.examples.http.HttpServer --port 8080 --files .
 * curl -i http://127.0.0.1:8080/hello
 * </pre>
 *
 * <p>Tests and the benchmarks embed it with {@link #bind} on a group they own. Thread-safe: it keeps no state.
 */
public final class HttpServer {
    static final String USAGE = String.join("\n",
            "usage: HttpServer [--transport smcd|nio|epoll|io_uring] [--host 127.0.0.1] [--port 8080] [--files DIR]",
            "                  [--threads 0] [--domain DIR]",
            "  --transport  smcd (SMC-D with smcd clients, TCP with curl, wrk and the rest), nio, epoll or io_uring;",
            "               default smcd",
            "  --host       address to bind; default 127.0.0.1 (0.0.0.0 for every interface)",
            "  --port       port to bind; default 8080 (0: any free port)",
            "  --files      directory served under /files/<name>; default none (404)",
            "  --threads    event loop threads; default 0 (Netty's default, twice the cores)",
            "  --domain     SMC-D domain directory; default /dev/shm/smcd-<user> (or -Dsmcd.domain)",
            "Each flag can also be given as a system property, e.g. -Dhttpserver.port=8080.");
    private static final Set<String> FLAGS = Set.of("transport", "host", "port", "files", "threads", "domain");
    /** Requests carry no body here; anything larger is refused with 413 rather than buffered. */
    private static final int MAX_REQUEST_BYTES = 64 * 1024;

    private HttpServer() {
    }

    /**
     * Binds the server to {@code address} on {@code group} and returns its bound server channel; closing that channel
     * stops the server. {@code filesDirectory} (null for none) is served under {@code /files/}.
     *
     * @throws IOException if {@code filesDirectory} is not a readable directory
     */
    public static Channel bind(EventLoopGroup group, Class<? extends ServerChannel> channelClass, SocketAddress address,
            Path filesDirectory) throws IOException, InterruptedException {
        Path filesRoot = filesDirectory == null ? null : filesDirectory.toRealPath();
        if (filesRoot != null && !Files.isDirectory(filesRoot)) {
            throw new IOException("--files " + filesDirectory + " is not a directory");
        }
        return new ServerBootstrap()
                .group(group)
                .channel(channelClass)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChannelPipeline p = ch.pipeline();
                        p.addLast(new HttpServerCodec());
                        p.addLast(new HttpServerKeepAliveHandler());
                        p.addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES));
                        p.addLast(new HttpServerHandler(filesRoot));
                    }
                })
                .bind(address).sync().channel();
    }

    public static void main(String[] args) throws Exception {
        Flags flags;
        Transport transport;
        try {
            flags = new Flags(args, FLAGS, 0, "httpserver.", USAGE);
            transport = flags.transport();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        InetSocketAddress address = new InetSocketAddress(flags.string("host", "127.0.0.1"),
                flags.integer("port", 8080));
        String files = flags.string("files", null);
        SmcdIoHandlerConfig config = new SmcdIoHandlerConfig();
        String domain = flags.string("domain", null);
        if (domain != null) {
            config.setDomainDirectory(Paths.get(domain));
        }

        // The only transport-specific lines: Transport makes the event loop group and names the channel class.
        EventLoopGroup group = transport.newGroup(flags.integer("threads", 0), config);
        Class<? extends ServerChannel> channelClass = transport.serverChannelClass();

        // Ctrl-C: the JVM exits once the hooks return, so the hook itself waits until the group has released the
        // SMC-D domain; nothing stays in /dev/shm.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }, "http-server-shutdown"));
        try {
            Channel server = bind(group, channelClass, address, files == null ? null : Paths.get(files));
            String base = "http://" + ((InetSocketAddress) server.localAddress()).getHostString() + ":"
                    + ((InetSocketAddress) server.localAddress()).getPort();
            System.out.println("HttpServer listening on " + server.localAddress() + " (" + describeListener(server)
                    + "); Ctrl-C to stop");
            System.out.println("  " + base + "/hello");
            System.out.println("  " + base + "/bytes?size=N");
            System.out.println("  " + base + "/files/<name>" + (files == null ? "  (no --files directory: 404)"
                    : "  from " + Paths.get(files).toRealPath()));
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
        return server.getClass().getSimpleName() + ": TCP";
    }
}
