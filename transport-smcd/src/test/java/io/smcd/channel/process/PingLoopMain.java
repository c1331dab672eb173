package io.smcd.channel.process;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.smcd.channel.SmcdSocketChannel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Well-behaved smcd clients in a child JVM: connect, echo a ping, close, again and again until stdin says {@code STOP},
 * then {@code PINGS <count> <slowest ns> <problems>} where problems lists connections that ran over TCP or echoed
 * wrongly ({@code -} if none).
 *
 * <p>Arguments ({@code key=value}): {@code domain}, {@code port} (on 127.0.0.1).
 */
public final class PingLoopMain {
    private PingLoopMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = EchoServerMain.options(args);
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", Integer.parseInt(options.get("port")));
        EventLoopGroup group = Clients.group(1, Paths.get(options.get("domain")));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        List<String> problems = new ArrayList<>();
        long count = 0;
        long slowest = 0;
        try {
            EchoServerMain.out("READY");
            while (!in.ready() || !"STOP".equals(in.readLine())) {
                long start = System.nanoTime();
                CollectingHandler collector = new CollectingHandler();
                Channel channel = Clients.smcd(group).handler(collector).connect(server).sync().channel();
                channel.writeAndFlush(Unpooled.wrappedBuffer(PingExchange.PING)).sync();
                byte[] echo = collector.awaitBytes(PingExchange.PING.length, PingExchange.BOUND);
                channel.close().sync();
                slowest = Math.max(slowest, System.nanoTime() - start);
                count++;
                if (!((SmcdSocketChannel) channel).mode().isSmcd() || !Arrays.equals(PingExchange.PING, echo)) {
                    problems.add(channel + " " + ((SmcdSocketChannel) channel).fallbackReason());
                }
            }
        } finally {
            Clients.shutdown(group);
        }
        EchoServerMain.out("PINGS " + count + " " + slowest + " " + (problems.isEmpty() ? "-" : problems));
    }
}
