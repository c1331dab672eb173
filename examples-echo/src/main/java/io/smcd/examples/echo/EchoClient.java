package io.smcd.examples.echo;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.smcd.channel.SmcdEventLoopGroup;
import io.smcd.channel.SmcdFallbackReason;
import io.smcd.channel.SmcdIoHandlerConfig;
import io.smcd.channel.SmcdMode;
import io.smcd.channel.SmcdSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * An echo client on smcd or NIO: the event loop group and the channel class are its only transport-specific lines.
 * Each connection prints how it carries its data (SMC-D and the device, or TCP and why), then measures ping-pong round
 * trips of small messages and the throughput of a few seconds of streaming, checking every echoed byte.
 *
 * <pre>
 * java -cp examples-echo/target/examples-echo.jar io.smcd.examples.echo.EchoClient --port 8007
 * </pre>
 *
 * <p>Programs and tests run it with {@link #run(EventLoopGroup, Class, Options)} on a group they own. Thread-safe:
 * each run keeps its own state.
 */
public final class EchoClient {
    static final String USAGE = String.join("\n",
            "usage: EchoClient [--transport smcd|nio] [--host 127.0.0.1] [--port 8007] [--connections 1]",
            "                  [--pings 10000] [--size 64] [--seconds 3] [--chunk 65536] [--threads 0] [--domain DIR]",
            "  --transport    smcd (SMC-D if the server is an smcd server on this host, else TCP) or nio; default smcd",
            "  --host, --port the echo server; default 127.0.0.1:8007",
            "  --connections  connections measured at the same time; default 1",
            "  --warmup       ping-pongs before the measured ones; default 1000",
            "  --pings        measured ping-pongs; default 10000",
            "  --size         ping message size in bytes; default 64",
            "  --seconds      streaming time; default 3 (0: no streaming)",
            "  --chunk        streaming write size in bytes; default 65536",
            "  --threads      event loop threads; default 0 (Netty's default, twice the cores)",
            "  --domain       SMC-D domain directory; default /dev/shm/smcd-<user> (or -Dsmcd.domain)",
            "Each flag can also be given as a system property, e.g. -Decho.port=8007.");
    private static final Set<String> FLAGS = Set.of("transport", "host", "port", "connections", "warmup", "pings",
            "size", "seconds", "chunk", "threads", "domain");

    private EchoClient() {
    }

    public static void main(String[] args) throws Exception {
        Flags flags;
        boolean smcd;
        Options options;
        try {
            flags = new Flags(args, FLAGS, USAGE);
            smcd = flags.smcdTransport();
            options = new Options()
                    .host(flags.string("host", "127.0.0.1"))
                    .port(flags.integer("port", 8007))
                    .connections(flags.integer("connections", 1))
                    .warmupPings(flags.integer("warmup", 1000))
                    .pings(flags.integer("pings", 10_000))
                    .pingSize(flags.integer("size", 64))
                    .streamDuration(Duration.ofSeconds(flags.number("seconds", 3, 3600)))
                    .chunkSize(flags.integer("chunk", 65536));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        int threads = flags.integer("threads", 0);
        SmcdIoHandlerConfig config = new SmcdIoHandlerConfig();
        String domain = flags.string("domain", null);
        if (domain != null) {
            config.setDomainDirectory(Paths.get(domain));
        }

        // The only transport-specific lines: the event loop group and the channel class.
        EventLoopGroup group = smcd
                ? new SmcdEventLoopGroup(threads, config)
                : new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        Class<? extends Channel> channelClass = smcd ? SmcdSocketChannel.class : NioSocketChannel.class;

        // Ctrl-C: shutting the group down closes the connections; the hook waits until the domain is released.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }, "echo-client-shutdown"));
        boolean failed = false;
        try {
            System.out.println("EchoClient: " + options.connections + " connection(s) to " + options.host + ":"
                    + options.port + " over " + (smcd ? "smcd" : "nio"));
            int i = 0;
            for (ConnectionReport report : run(group, channelClass, options)) {
                System.out.println("connection " + ++i + " " + report);
            }
        } catch (IOException e) {
            System.err.println("EchoClient: " + e.getMessage());
            failed = true;
        } finally {
            // No quiet period: nothing is submitted to the group once main is done, so the JVM can exit at once.
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
        if (failed) {
            System.exit(1);
        }
    }

    /**
     * Opens {@link Options#connections} connections to the echo server at the same time, measures each as described
     * above, and returns their reports in connection order once all are done. Waits at most the streaming time plus
     * {@link Options#timeout}.
     *
     * @throws IOException if a connection could not be opened, an echoed byte was wrong, or the server closed
     */
    public static List<ConnectionReport> run(EventLoopGroup group, Class<? extends Channel> channelClass,
            Options options) throws IOException, InterruptedException {
        List<CompletableFuture<ConnectionReport>> results = new ArrayList<>();
        List<Channel> channels = new ArrayList<>();
        try {
            for (int i = 0; i < options.connections; i++) {
                CompletableFuture<ConnectionReport> result = new CompletableFuture<>();
                ChannelFuture connect = new Bootstrap()
                        .group(group)
                        .channel(channelClass)
                        .option(ChannelOption.TCP_NODELAY, true)
                        .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                                new WriteBufferWaterMark(2 * options.chunkSize, 4 * options.chunkSize))
                        .handler(new EchoClientSession(options, result))
                        .connect(options.host, options.port);
                channels.add(connect.channel());
                connect.addListener(f -> {
                    if (!f.isSuccess()) {
                        result.completeExceptionally(f.cause());
                    }
                });
                results.add(result);
            }
            long deadline = System.nanoTime() + options.streamDuration.toNanos() + options.timeout.toNanos();
            List<ConnectionReport> reports = new ArrayList<>();
            for (CompletableFuture<ConnectionReport> result : results) {
                try {
                    reports.add(result.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                } catch (ExecutionException e) {
                    throw new IOException("echo connection failed: " + e.getCause(), e.getCause());
                } catch (TimeoutException e) {
                    throw new IOException("echo connection did not finish within " + options.timeout
                            + " after streaming", e);
                }
            }
            return reports;
        } finally {
            for (Channel channel : channels) {
                channel.close().awaitUninterruptibly();
            }
        }
    }

    /** What {@link #run} does: where to connect and how much to measure. Not thread-safe; copy per run. */
    public static final class Options {
        String host = "127.0.0.1";
        int port = 8007;
        int connections = 1;
        int warmupPings = 1000;
        int pings = 10_000;
        int pingSize = 64;
        Duration streamDuration = Duration.ofSeconds(3);
        long streamBytes;
        int chunkSize = 65536;
        Duration timeout = Duration.ofSeconds(30);

        public Options host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        public Options port(int port) {
            if (port <= 0 || port > 65535) {
                throw new IllegalArgumentException("port=" + port + " must be in [1, 65535]");
            }
            this.port = port;
            return this;
        }

        /** The server to connect to. */
        public Options remote(SocketAddress address) {
            InetSocketAddress inet = (InetSocketAddress) address;
            return host(inet.getHostString()).port(inet.getPort());
        }

        public Options connections(int connections) {
            this.connections = positive("connections", connections);
            return this;
        }

        /** Ping-pongs before the measured ones, so the JIT and the idle strategy settle first. */
        public Options warmupPings(int warmupPings) {
            this.warmupPings = notNegative("warmupPings", warmupPings);
            return this;
        }

        public Options pings(int pings) {
            this.pings = notNegative("pings", pings);
            return this;
        }

        public Options pingSize(int pingSize) {
            this.pingSize = positive("pingSize", pingSize);
            return this;
        }

        /** How long to stream after the ping-pongs; zero skips streaming unless {@link #streamBytes} is set. */
        public Options streamDuration(Duration streamDuration) {
            if (streamDuration.isNegative()) {
                throw new IllegalArgumentException("streamDuration=" + streamDuration + " must be >= 0");
            }
            this.streamDuration = streamDuration;
            return this;
        }

        /** Stop streaming after this many bytes even if time remains (0: no byte limit). */
        public Options streamBytes(long streamBytes) {
            if (streamBytes < 0) {
                throw new IllegalArgumentException("streamBytes=" + streamBytes + " must be >= 0");
            }
            this.streamBytes = streamBytes;
            return this;
        }

        public Options chunkSize(int chunkSize) {
            this.chunkSize = positive("chunkSize", chunkSize);
            return this;
        }

        /** How long {@link #run} waits, beyond the streaming time, for all connections to finish. */
        public Options timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        private static int positive(String name, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + "=" + value + " must be > 0");
            }
            return value;
        }

        private static int notNegative(String name, int value) {
            if (value < 0) {
                throw new IllegalArgumentException(name + "=" + value + " must be >= 0");
            }
            return value;
        }
    }

    /** The outcome of one connection. Immutable and thread-safe. */
    public static final class ConnectionReport {
        private final String local;
        private final String remote;
        private final SmcdMode mode;
        private final SmcdFallbackReason fallbackReason;
        private final String description;
        private final Histogram rttNanos;
        private final int pingSize;
        private final long streamedBytes;
        private final long streamNanos;
        private final int chunkSize;

        ConnectionReport(Channel channel, Histogram rttNanos, int pingSize, long streamedBytes, long streamNanos,
                int chunkSize) {
            this.local = String.valueOf(channel.localAddress());
            this.remote = String.valueOf(channel.remoteAddress());
            this.mode = ConnectionMode.mode(channel);
            this.fallbackReason = channel instanceof SmcdSocketChannel
                    ? ((SmcdSocketChannel) channel).fallbackReason() : null;
            this.description = ConnectionMode.describe(channel);
            this.rttNanos = rttNanos.copy();
            this.pingSize = pingSize;
            this.streamedBytes = streamedBytes;
            this.streamNanos = streamNanos;
            this.chunkSize = chunkSize;
        }

        /** The connection's mode; {@link SmcdMode#TCP} for a NIO channel. */
        public SmcdMode mode() {
            return mode;
        }

        /** Why an smcd channel used TCP; null over SMC-D and for NIO channels. */
        public SmcdFallbackReason fallbackReason() {
            return fallbackReason;
        }

        /** The mode as printed: {@code SMC-D (SMCD_LOOPBACK)}, {@code TCP (fallback: ...)} or {@code TCP (nio)}. */
        public String modeDescription() {
            return description;
        }

        /** Measured ping-pongs, each checked byte for byte. */
        public long pings() {
            return rttNanos.getTotalCount();
        }

        public long rttPercentileNanos(double percentile) {
            return rttNanos.getValueAtPercentile(percentile);
        }

        /** Bytes streamed and echoed back, each checked. */
        public long streamedBytes() {
            return streamedBytes;
        }

        /** Echoed bytes per second in MB (10^6 bytes). */
        public double megabytesPerSecond() {
            return streamNanos == 0 ? 0 : streamedBytes * 1e3 / streamNanos;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            sb.append(local).append(" -> ").append(remote).append(": ").append(description);
            if (pings() > 0) {
                sb.append(String.format(Locale.ROOT,
                        "%n  ping-pong %d x %d B: RTT p50 %.1f us, p99 %.1f us, max %.1f us",
                        pings(), pingSize, rttPercentileNanos(50) / 1e3, rttPercentileNanos(99) / 1e3,
                        rttNanos.getMaxValue() / 1e3));
            }
            if (streamedBytes > 0) {
                sb.append(String.format(Locale.ROOT,
                        "%n  streaming %d B writes for %.2f s: %.1f MB/s echoed (%d bytes checked)",
                        chunkSize, streamNanos / 1e9, megabytesPerSecond(), streamedBytes));
            }
            return sb.toString();
        }
    }
}
