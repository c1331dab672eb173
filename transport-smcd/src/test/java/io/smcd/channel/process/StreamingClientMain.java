package io.smcd.channel.process;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.smcd.channel.SmcdChannelOption;
import io.smcd.channel.SmcdMode;
import io.smcd.channel.SmcdSocketChannel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The client half of the kill tests, run in a child JVM that the test SIGKILLs at a point it announces: connects to an
 * echo server, first {@code sequential=N} short ping exchanges (so the stream below runs on reused buffers), then one
 * echo stream that never ends, and optionally closes it while data are in flight ({@code close=true}).
 *
 * <p>Arguments ({@code key=value}): {@code domain}, {@code port} (on 127.0.0.1), {@code device} (an {@link SmcdMode}),
 * {@code sequential}, {@code close}, {@code seed}. Stdout: {@code CONNECTING}, {@code ACTIVE <mode>},
 * {@code STREAMING} (1 MiB echoed), {@code CLOSING}; then it waits for the end of stdin (or its death).
 */
public final class StreamingClientMain {
    private static final long STREAMING_AFTER = 1L << 20;

    private StreamingClientMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = EchoServerMain.options(args);
        SmcdMode device = SmcdMode.valueOf(options.get("device"));
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", Integer.parseInt(options.get("port")));
        EventLoopGroup group = Clients.group(1, Paths.get(options.get("domain")));
        try {
            for (int i = 0, n = Integer.parseInt(options.getOrDefault("sequential", "0")); i < n; i++) {
                CollectingHandler collector = new CollectingHandler();
                Channel ping = Clients.smcd(group).option(SmcdChannelOption.SMCD_DEVICES, List.of(device))
                        .handler(collector).connect(server).sync().channel();
                ping.writeAndFlush(Unpooled.wrappedBuffer(PingExchange.PING)).sync();
                collector.awaitBytes(PingExchange.PING.length, PingExchange.BOUND);
                ping.close().sync();
            }
            EchoServerMain.out("CONNECTING");
            StreamingEchoClient stream = new StreamingEchoClient(Long.MAX_VALUE, STREAMING_AFTER,
                    Long.parseLong(options.getOrDefault("seed", "1")));
            SmcdSocketChannel channel = (SmcdSocketChannel) Clients.smcd(group)
                    .option(SmcdChannelOption.SMCD_DEVICES, List.of(device))
                    .handler(stream).connect(server).sync().channel();
            EchoServerMain.out("ACTIVE " + channel.mode());
            stream.reached().get(60, TimeUnit.SECONDS);
            EchoServerMain.out("STREAMING");
            if (Boolean.parseBoolean(options.getOrDefault("close", "false"))) {
                EchoServerMain.out("CLOSING");
                channel.close();
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (in.readLine() != null) {
                // Waits for the parent to kill it, or to go away.
            }
        } finally {
            Clients.shutdown(group);
        }
    }
}
