package io.smcd.channel.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.smcd.channel.SmcdChannelOption;
import io.smcd.channel.SmcdEventLoopGroup;
import io.smcd.channel.SmcdIoHandlerConfig;
import io.smcd.channel.SmcdMode;
import io.smcd.channel.SmcdSocketChannel;
import io.smcd.sim.testing.TestDomain;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A thousand connections open at once from one client group of three threads to a server in another JVM, every one
 * over SMC-D with 16 KiB RMBs, each echoing a message of its own. All connections stay open until every echo arrived,
 * so they really are concurrent, and every channel's mode is checked on both sides.
 *
 * <p>Connects are paced (a bounded number in flight), and both sides get a generous CLC timeout: this test is about
 * scale, and a 2-core CI machine under load can take longer than the default 2 s for a handshake queued behind dozens
 * of others (a timeout after the CLC Accept aborts the connection). The slowest connect is printed.
 */
@Timeout(180)
class ManyConnectionsTest {
    private static final int CONNECTIONS = 1000;
    private static final int IN_FLIGHT = 32;
    private static final int CLC_TIMEOUT_MILLIS = 30_000;
    private static final int DMB = 16 * 1024;

    @Test
    void aThousandConcurrentConnectionsAllUseSmcdAndEcho() throws Exception {
        try (TestDomain test = TestDomain.create()) {
            try (ServerProcess server = ServerProcess.smcd(test.directory(), "threads=2", "backlog=" + 2 * CONNECTIONS,
                    "dmb=" + DMB, "clcTimeout=" + CLC_TIMEOUT_MILLIS)) {
                assertTrue(server.isSmcdListening());
                EventLoopGroup group = new SmcdEventLoopGroup(3, new SmcdIoHandlerConfig()
                        .setDomainDirectory(test.directory()).setClcTimeoutMillis(CLC_TIMEOUT_MILLIS));
                List<Channel> channels = new ArrayList<>(CONNECTIONS);
                try {
                    long start = System.nanoTime();
                    Bootstrap bootstrap = Clients.smcd(group).option(SmcdChannelOption.SMCD_DMB_SIZE, DMB);
                    Semaphore inFlight = new Semaphore(IN_FLIGHT);
                    List<SmallEcho> echoes = new ArrayList<>(CONNECTIONS);
                    List<ChannelFuture> connects = new ArrayList<>(CONNECTIONS);
                    AtomicLongArray connectNanos = new AtomicLongArray(CONNECTIONS);
                    for (int i = 0; i < CONNECTIONS; i++) {
                        if (!inFlight.tryAcquire(60, TimeUnit.SECONDS)) {
                            throw new AssertionError("connects stuck at " + i + "; server " + server.stats()
                                    + "; child stderr:\n" + server.stderr());
                        }
                        SmallEcho echo = new SmallEcho(i);
                        echoes.add(echo);
                        long connectStart = System.nanoTime();
                        int index = i;
                        ChannelFuture connect = bootstrap.clone().handler(echo).connect(server.address());
                        connect.addListener(f -> {
                            connectNanos.set(index, System.nanoTime() - connectStart);
                            inFlight.release();
                        });
                        connects.add(connect);
                        channels.add(connect.channel());
                    }
                    Map<SmcdMode, Integer> clientModes = new EnumMap<>(SmcdMode.class);
                    List<String> notSmcd = new ArrayList<>();
                    for (int i = 0; i < CONNECTIONS; i++) {
                        ChannelFuture connect = connects.get(i);
                        assertTrue(connect.await(60, TimeUnit.SECONDS), "connect " + i + " incomplete");
                        if (!connect.isSuccess()) {
                            throw new AssertionError("connect " + i + " failed", connect.cause());
                        }
                        SmcdSocketChannel channel = (SmcdSocketChannel) connect.channel();
                        clientModes.merge(channel.mode(), 1, Integer::sum);
                        if (channel.mode() != SmcdMode.SMCD_LOOPBACK && notSmcd.size() < 10) {
                            notSmcd.add(i + ": " + channel.mode() + " " + channel.fallbackReason());
                        }
                    }
                    for (SmallEcho echo : echoes) {
                        echo.done.get(60, TimeUnit.SECONDS);
                    }
                    long allEchoed = System.nanoTime();
                    Map<String, Long> stats = server.stats();
                    long[] sorted = new long[CONNECTIONS];
                    for (int i = 0; i < CONNECTIONS; i++) {
                        sorted[i] = connectNanos.get(i);
                    }
                    Arrays.sort(sorted);
                    System.out.printf(Locale.ROOT, "%d concurrent connections: client modes %s, server %s; connected and"
                                    + " echoed in %.2f s; connect with CLC (%d in flight) median %.1f ms, p99 %.1f ms, max %.1f ms%n",
                            CONNECTIONS, clientModes, stats, (allEchoed - start) / 1e9, IN_FLIGHT, sorted[CONNECTIONS / 2] / 1e6,
                            sorted[CONNECTIONS * 99 / 100] / 1e6, sorted[CONNECTIONS - 1] / 1e6);
                    assertEquals(Map.of(SmcdMode.SMCD_LOOPBACK, CONNECTIONS), clientModes, "client modes; first others: " + notSmcd);
                    assertEquals(CONNECTIONS, stats.get("active"), "server connections open at once: " + stats);
                    assertEquals(CONNECTIONS, stats.get(SmcdMode.SMCD_LOOPBACK.name()), "server modes: " + stats);
                    assertEquals(0, stats.get("exceptions"), "server: " + stats);
                    for (Channel channel : channels) {
                        channel.close();
                    }
                    for (Channel channel : channels) {
                        assertTrue(channel.closeFuture().await(60, TimeUnit.SECONDS), "close of " + channel);
                    }
                    server.quit();
                } finally {
                    for (Channel channel : channels) {
                        channel.close();
                    }
                    Clients.shutdown(group);
                }
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    /** Sends one message that names its connection on activation and completes when exactly that came back. */
    private static final class SmallEcho extends ChannelInboundHandlerAdapter {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        private final byte[] message;
        private final byte[] received;
        private int length;

        SmallEcho(int index) {
            message = String.format(Locale.ROOT, "connection %06d of %d: %s%n", index, CONNECTIONS, "x".repeat(index % 97))
                    .getBytes(StandardCharsets.US_ASCII);
            received = new byte[message.length];
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(message));
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                int n = buf.readableBytes();
                if (n > received.length - length) {
                    done.completeExceptionally(new AssertionError("more bytes than sent on " + ctx.channel()));
                    return;
                }
                buf.readBytes(received, length, n);
                length += n;
            } finally {
                buf.release();
            }
            if (length == received.length) {
                if (Arrays.equals(received, message)) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(new AssertionError("wrong echo on " + ctx.channel() + ": "
                            + new String(received, StandardCharsets.US_ASCII)));
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.completeExceptionally(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            done.completeExceptionally(new AssertionError("closed before its echo: " + ctx.channel()));
            ctx.fireChannelInactive();
        }
    }
}
