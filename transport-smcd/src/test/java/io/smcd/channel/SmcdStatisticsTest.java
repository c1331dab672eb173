package io.smcd.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.smcd.sim.ProcessIdentity;
import io.smcd.sim.stats.ConnectionRecord;
import io.smcd.sim.stats.ProcessStats;
import io.smcd.sim.testing.TestDomain;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The counters, the per-channel figures and the statistics file follow connections that open, transfer, fall back and close. */
class SmcdStatisticsTest {
    private static final int BYTES = 300_000;

    @Test
    void countersFollowConnectionsOverBothDevicesAndTcp() throws Exception {
        try (TestDomain d = TestDomain.create()) {
            SmcdEventLoopGroup group = new SmcdEventLoopGroup(2, new SmcdIoHandlerConfig().setDomainDirectory(d.directory()));
            try {
                Channel server = new ServerBootstrap().group(group).channel(SmcdServerSocketChannel.class)
                        .childHandler(new Echo()).bind("127.0.0.1", 0).sync().channel();
                Channel plainServer = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                        .childHandler(new Echo()).bind("127.0.0.1", 0).sync().channel();

                SmcdSocketChannel loopback = connect(group, server, List.of(SmcdMode.SMCD_LOOPBACK));
                SmcdSocketChannel copy = connect(group, server, List.of(SmcdMode.SMCD_COPY));
                SmcdSocketChannel tcp = connect(group, plainServer, List.of(SmcdMode.SMCD_LOOPBACK));
                assertEquals(SmcdMode.SMCD_LOOPBACK, loopback.mode());
                assertEquals(SmcdMode.SMCD_COPY, copy.mode(), String.valueOf(copy.fallbackReason()));
                assertEquals(SmcdMode.TCP, tcp.mode());
                for (SmcdSocketChannel c : List.of(loopback, copy, tcp)) {
                    echo(c);
                }

                SmcdConnectionStatistics own = loopback.statistics();
                assertEquals(BYTES, own.bytesSent());
                assertEquals(BYTES, own.bytesReceived());
                assertTrue(own.writes() > 0 && own.reads() > 0, own.toString());
                ConnectionRecord record = own.connection();
                assertEquals("ACTIVE", record.state());
                assertEquals("CLIENT", record.role());
                assertEquals("SMCD_LOOPBACK", record.mode());
                assertNotEquals(0, record.rmbToken());
                assertNotEquals(0, record.peerDmbToken());
                assertTrue(record.rmbSize() > 0 && record.peerDmbSize() > 0, record.toString());
                assertEquals(ProcessIdentity.current().pid(), record.peerPid());
                assertEquals(loopback.localAddress(), record.local());
                assertEquals(loopback.remoteAddress(), record.peer());
                assertTrue(record.bytesQueuedSend() <= record.peerDmbSize(), "queued as far as this side last looked");
                assertEquals(0, record.bytesQueuedReceive());
                assertEquals(SmcdFallbackReason.PEER_NO_LISTENER, tcp.statistics().fallbackReason());
                assertEquals(0x03010000, tcp.statistics().connection().localReason());

                SmcdStatistics stats = group.statistics();
                assertEquals(1, stats.value("connections.opened", "role", "client", "mode", "smcd-loopback"));
                assertEquals(1, stats.value("connections.opened", "mode", "smcd-copy", "role", "client"));
                assertEquals(1, stats.value("connections.opened", "mode", "tcp", "role", "client"));
                assertEquals(2, stats.value("connections.opened{mode=smcd-loopback,role=server}")
                        + stats.value("connections.opened{mode=smcd-copy,role=server}"));
                assertEquals(1, stats.value("fallbacks", "side", "local", "reason", "PEERNOSMC"));
                // Both SMC-D connections, both ends: each byte is written and read twice (request and echo).
                assertEquals(4L * BYTES, stats.value("bytes", "direction", "sent"));
                assertEquals(4L * BYTES, stats.value("bytes", "direction", "received"));
                assertEquals(5, stats.connections().size(), stats.connections().toString());
                assertEquals(1, stats.linkGroups().size());
                assertEquals(ProcessIdentity.current().pid(), stats.linkGroups().get(0).peerPid());

                ProcessStats published = d.awaitStatistics(s -> s.counter("connections.opened{mode=smcd-copy,role=client}") == 1
                        && s.connections().size() == 5, Duration.ofSeconds(10));
                assertEquals(ProcessIdentity.current(), published.owner());
                assertTrue(published.alive());
                assertTrue(published.connections().stream().anyMatch(c -> c.mode().equals("SMCD_COPY")
                        && c.rmbToken() == copy.statistics().connection().rmbToken()), published.connections().toString());
                assertTrue(published.connections().stream().anyMatch(c -> c.mode().equals("TCP") && c.localReason() == 0x03010000));

                for (SmcdSocketChannel c : List.of(loopback, copy, tcp)) {
                    c.close().sync();
                }
                await(() -> group.statistics().connections().isEmpty(), "every connection closed, the children too");
                SmcdStatistics closed = group.statistics();
                assertEquals(4, closed.value("connections.closed", "mode", "smcd-loopback")
                        + closed.value("connections.closed", "mode", "smcd-copy"));
                assertEquals(1, closed.value("connections.closed", "mode", "tcp"));
                assertEquals(4L * BYTES, closed.value("bytes", "direction", "sent"), "closed connections' bytes stay counted");
                assertTrue(closed.value("doorbells", "direction", "sent") >= closed.value("doorbells", "direction", "received"));
                await(() -> group.statistics().value("loop.nanos", "state", "blocked") > 0, "loops slept between echoes");
                server.close().sync();
                plainServer.close().sync();
            } finally {
                group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
            }
            assertTrue(d.leftoverFiles().isEmpty(), d.leftoverFiles().toString());
        }
    }

    @Test
    void aDomainNotOpenHereReadsAllZero() throws Exception {
        try (TestDomain d = TestDomain.create()) {
            SmcdEventLoopGroup group = new SmcdEventLoopGroup(1, new SmcdIoHandlerConfig().setDomainDirectory(d.directory()));
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
            SmcdStatistics stats = group.statistics();
            assertTrue(stats.counters().stream().allMatch(c -> c.value() == 0), stats.toString());
            assertTrue(stats.counters().size() > 40, "every counter is listed: " + stats.counters().size());
            assertTrue(stats.connections().isEmpty());
        }
    }

    private static SmcdSocketChannel connect(SmcdEventLoopGroup group, Channel server, List<SmcdMode> devices)
            throws InterruptedException {
        return (SmcdSocketChannel) new Bootstrap().group(group).channel(SmcdSocketChannel.class)
                .option(SmcdChannelOption.SMCD_DEVICES, devices).handler(new Collect())
                .connect(server.localAddress()).sync().channel();
    }

    private static void echo(SmcdSocketChannel channel) throws Exception {
        byte[] data = new byte[BYTES];
        ThreadLocalRandom.current().nextBytes(data);
        Collect collect = channel.pipeline().get(Collect.class);
        channel.writeAndFlush(Unpooled.wrappedBuffer(data)).sync();
        byte[] echoed = collect.done.get(20, TimeUnit.SECONDS);
        assertTrue(java.util.Arrays.equals(data, echoed), "echo differs");
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(10);
        }
    }

    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }
    }

    private static final class Collect extends ChannelInboundHandlerAdapter {
        final CompletableFuture<byte[]> done = new CompletableFuture<>();
        private final ByteBuf received = Unpooled.buffer(BYTES);

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            received.writeBytes(b);
            b.release();
            if (received.readableBytes() >= BYTES) {
                byte[] bytes = new byte[received.readableBytes()];
                received.readBytes(bytes);
                done.complete(bytes);
            }
        }
    }
}
