package io.smcd.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.smcd.channel.SmcdEventLoopGroup;
import io.smcd.channel.SmcdIoHandlerConfig;
import io.smcd.channel.SmcdServerSocketChannel;
import io.smcd.channel.SmcdSocketChannel;
import io.smcd.sim.testing.TestDomain;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class SmcdMetricsTest {
    @Test
    void metersFollowTheDomainsCounters() throws Exception {
        try (TestDomain d = TestDomain.create()) {
            SmcdEventLoopGroup group = new SmcdEventLoopGroup(1, new SmcdIoHandlerConfig().setDomainDirectory(d.directory()));
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try {
                new SmcdMetrics(group).bindTo(registry);
                Channel server = new ServerBootstrap().group(group).channel(SmcdServerSocketChannel.class)
                        .childHandler(new ChannelInboundHandlerAdapter()).bind("127.0.0.1", 0).sync().channel();
                Channel client = new Bootstrap().group(group).channel(SmcdSocketChannel.class)
                        .handler(new ChannelInboundHandlerAdapter()).connect(server.localAddress()).sync().channel();
                client.writeAndFlush(Unpooled.wrappedBuffer(new byte[4096])).sync();

                await(() -> registry.get("smcd.connections.opened").tags("mode", "smcd-loopback", "role", "client")
                        .functionCounter().count(), 1);
                await(() -> registry.get("smcd.bytes").tags("direction", "received").functionCounter().count(), 4096);
                await(() -> registry.get("smcd.connections.open").tags("mode", "smcd-loopback").gauge().value(), 2);
                assertEquals(1, registry.get("smcd.link.groups").gauge().value());
                assertEquals("bytes", registry.get("smcd.bytes").tags("direction", "sent").functionCounter().getId()
                        .getBaseUnit());
                assertTrue(registry.get("smcd.fallbacks").functionCounters().size() > 30, "every reason has a counter");
                client.close().sync();
                await(() -> registry.get("smcd.connections.open").tags("mode", "smcd-loopback").gauge().value(), 0);
                server.close().sync();
            } finally {
                group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
                registry.close();
            }
            assertTrue(d.leftoverFiles().isEmpty(), d.leftoverFiles().toString());
        }
    }

    private static void await(DoubleSupplier value, double expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (value.getAsDouble() != expected) {
            if (System.nanoTime() > deadline) {
                assertEquals(expected, value.getAsDouble(), "within 10 s");
            }
            Thread.sleep(20);
        }
    }
}
