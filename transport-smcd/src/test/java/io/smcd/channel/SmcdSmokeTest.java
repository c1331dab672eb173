package io.smcd.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.smcd.sim.testing.TestDomain;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SmcdSmokeTest {
    @Test
    void echoOverSmcd() throws Exception {
        try (TestDomain d = TestDomain.create()) {
            EventLoopGroup group = new SmcdEventLoopGroup(2, new SmcdIoHandlerConfig().setDomainDirectory(d.directory()));
            try {
                CompletableFuture<SmcdSocketChannel> child = new CompletableFuture<>();
                Channel server = new ServerBootstrap().group(group).channel(SmcdServerSocketChannel.class)
                        .childHandler(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelActive(ChannelHandlerContext ctx) {
                                child.complete((SmcdSocketChannel) ctx.channel());
                            }

                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ctx.writeAndFlush(msg);
                            }
                        }).bind("127.0.0.1", 0).sync().channel();
                CompletableFuture<String> echoed = new CompletableFuture<>();
                SmcdSocketChannel client = (SmcdSocketChannel) new Bootstrap().group(group).channel(SmcdSocketChannel.class)
                        .handler(new ChannelInboundHandlerAdapter() {
                            final StringBuilder sb = new StringBuilder();

                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ByteBuf b = (ByteBuf) msg;
                                sb.append(b.toString(java.nio.charset.StandardCharsets.US_ASCII));
                                b.release();
                                if (sb.length() >= 5) {
                                    echoed.complete(sb.toString());
                                }
                            }
                        }).connect(server.localAddress()).sync().channel();
                System.out.println("client " + client.mode() + " " + client.fallbackReason());
                client.writeAndFlush(Unpooled.copiedBuffer("hello", java.nio.charset.StandardCharsets.US_ASCII));
                assertEquals("hello", echoed.get(10, TimeUnit.SECONDS));
                System.out.println("child " + child.get().mode() + " " + child.get().fallbackReason());
                assertEquals(SmcdMode.SMCD_LOOPBACK, client.mode());
                assertEquals(SmcdMode.SMCD_LOOPBACK, child.get().mode());
                client.close().sync();
                server.close().sync();
            } finally {
                group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
            }
            assertTrue(d.leftoverFiles().isEmpty(), d.leftoverFiles().toString());
        }
    }
}
