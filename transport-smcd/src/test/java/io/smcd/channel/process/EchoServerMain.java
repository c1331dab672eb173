package io.smcd.channel.process;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.smcd.channel.SmcdChannelOption;
import io.smcd.channel.SmcdEventLoopGroup;
import io.smcd.channel.SmcdFallbackReason;
import io.smcd.channel.SmcdIoHandlerConfig;
import io.smcd.channel.SmcdMode;
import io.smcd.channel.SmcdServerSocketChannel;
import io.smcd.channel.SmcdSocketChannel;
import io.smcd.sim.SmcdReason;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The server half of the cross-process tests, run in a child JVM by {@link ServerProcess}: an echo server on
 * 127.0.0.1 with an ephemeral port, either smcd ({@code kind=smcd}, on the domain {@code domain=<dir>}) or plain Netty
 * NIO ({@code kind=nio}). Echo applies real backpressure: a connection stops reading while its outbound buffer is
 * above the high water mark.
 *
 * <p>Arguments ({@code key=value}): {@code kind}, {@code domain}, {@code devices} (comma-separated {@link SmcdMode}s),
 * {@code dmb} (RMB size), {@code threads}, {@code backlog}, {@code clcTimeout} (ms), {@code greeting} (written on
 * {@code channelActive}),
 * {@code report=true} (one {@code ACTIVE <mode> <local reason> <peer reason>} line per connection).
 *
 * <p>Stdout protocol: {@code PORT <port>}, {@code LISTENING <true|false>}, then answers to stdin commands:
 * {@code STATS} gives {@code STATS key=value...}, {@code CPU} gives {@code CPU <process cpu ns> <nanoTime>},
 * {@code QUIT} closes everything and ends with {@code BYE}. End of stdin (the parent died) quits too.
 */
public final class EchoServerMain {
    private static final Object OUT = new Object();

    private EchoServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        boolean smcd = !"nio".equals(options.getOrDefault("kind", "smcd"));
        int threads = Integer.parseInt(options.getOrDefault("threads", "1"));
        String greeting = options.get("greeting");
        boolean report = Boolean.parseBoolean(options.getOrDefault("report", "false"));
        Stats stats = new Stats();

        EventLoopGroup group = smcd
                ? new SmcdEventLoopGroup(threads, new SmcdIoHandlerConfig().setDomainDirectory(Paths.get(options.get("domain")))
                        .setClcTimeoutMillis(Integer.parseInt(options.getOrDefault("clcTimeout",
                                String.valueOf(SmcdIoHandlerConfig.DEFAULT_CLC_TIMEOUT_MILLIS)))))
                : new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        ChannelGroup children = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        try {
            ServerBootstrap bootstrap = new ServerBootstrap().group(group)
                    .channel(smcd ? SmcdServerSocketChannel.class : NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, Integer.parseInt(options.getOrDefault("backlog", "128")))
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            children.add(ch);
                            ch.pipeline().addLast(new EchoHandler(greeting, report, stats));
                        }
                    });
            if (smcd && options.containsKey("devices")) {
                List<SmcdMode> devices = Stats.modes(options.get("devices"));
                bootstrap.childOption(SmcdChannelOption.SMCD_DEVICES, devices);
            }
            if (smcd && options.containsKey("dmb")) {
                bootstrap.childOption(SmcdChannelOption.SMCD_DMB_SIZE, Integer.parseInt(options.get("dmb")));
            }
            Channel server = bootstrap.bind("127.0.0.1", 0).sync().channel();
            out("PORT " + ((InetSocketAddress) server.localAddress()).getPort());
            out("LISTENING " + (server instanceof SmcdServerSocketChannel && ((SmcdServerSocketChannel) server).isSmcdListening()));

            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.equals("QUIT")) {
                if (line.equals("STATS")) {
                    out("STATS " + stats);
                } else if (line.equals("CPU")) {
                    long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                            .getProcessCpuTime();
                    out("CPU " + cpu + " " + System.nanoTime());
                } else {
                    System.err.println("unknown command: " + line);
                }
            }
            server.close().sync();
            children.close().awaitUninterruptibly(30, TimeUnit.SECONDS);
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(30, TimeUnit.SECONDS);
        }
        out("BYE");
    }

    /** The {@code key=value} arguments of a child main, as a map. */
    static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("argument " + arg + " is not key=value");
            }
            options.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return options;
    }

    static void out(String line) {
        synchronized (OUT) {
            System.out.println(line);
            System.out.flush();
        }
    }

    /** Echoes every byte; stops reading while the echo cannot be written (the client does not read). */
    static final class EchoHandler extends ChannelInboundHandlerAdapter {
        private final String greeting;
        private final boolean report;
        private final Stats stats;

        EchoHandler(String greeting, boolean report, Stats stats) {
            this.greeting = greeting;
            this.report = report;
            this.stats = stats;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel ch = ctx.channel();
            SmcdMode mode = ch instanceof SmcdSocketChannel ? ((SmcdSocketChannel) ch).mode() : SmcdMode.TCP;
            SmcdFallbackReason reason = ch instanceof SmcdSocketChannel ? ((SmcdSocketChannel) ch).fallbackReason() : null;
            stats.active(mode, reason);
            if (report) {
                out("ACTIVE " + mode + " " + (reason == null ? "-" : SmcdReason.name(reason.localCode()))
                        + " " + (reason == null ? "-" : SmcdReason.name(reason.peerCode())));
            }
            if (greeting != null) {
                ctx.writeAndFlush(Unpooled.copiedBuffer(greeting, StandardCharsets.UTF_8));
            }
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            stats.inactive();
            ctx.fireChannelInactive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            stats.echoed.addAndGet(((ByteBuf) msg).readableBytes());
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
            if (!ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(true);
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            stats.exceptions.incrementAndGet();
            System.err.println("exceptionCaught on " + ctx.channel() + ": " + cause);
            ctx.close();
        }
    }

    /** Counters of the server's connections; thread-safe. */
    static final class Stats {
        final AtomicInteger total = new AtomicInteger();
        final AtomicInteger active = new AtomicInteger();
        final AtomicInteger exceptions = new AtomicInteger();
        final AtomicLong echoed = new AtomicLong();
        private final Map<SmcdMode, AtomicInteger> modes = new EnumMap<>(SmcdMode.class);
        private final Map<String, AtomicInteger> reasons = new ConcurrentHashMap<>();

        Stats() {
            for (SmcdMode mode : SmcdMode.values()) {
                modes.put(mode, new AtomicInteger());
            }
        }

        static List<SmcdMode> modes(String commaSeparated) {
            return Arrays.stream(commaSeparated.split(",")).map(SmcdMode::valueOf)
                    .collect(Collectors.toList());
        }

        void active(SmcdMode mode, SmcdFallbackReason reason) {
            total.incrementAndGet();
            active.incrementAndGet();
            modes.get(mode).incrementAndGet();
            if (reason != null) {
                reasons.computeIfAbsent(SmcdReason.name(reason.localCode()), k -> new AtomicInteger()).incrementAndGet();
            }
        }

        void inactive() {
            active.decrementAndGet();
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            sb.append("total=").append(total).append(" active=").append(active).append(" exceptions=").append(exceptions)
                    .append(" echoed=").append(echoed);
            modes.forEach((mode, n) -> sb.append(' ').append(mode).append('=').append(n));
            reasons.forEach((reason, n) -> sb.append(" reason.").append(reason).append('=').append(n));
            return sb.toString();
        }
    }
}
