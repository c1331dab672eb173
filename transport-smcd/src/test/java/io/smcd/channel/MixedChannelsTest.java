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
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.smcd.sim.testing.TestDomain;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The same SmcdEventLoopGroup runs Netty's plain NIO channels, as gRPC and Reactor Netty register them. */
class MixedChannelsTest {
    @Test
    void nioSocketsAndDatagramsRunOnAnSmcdGroup() throws Exception {
        try (TestDomain domain = TestDomain.create()) {
            EventLoopGroup group = new SmcdEventLoopGroup(2, new SmcdIoHandlerConfig().setDomainDirectory(domain.directory()));
            try {
                Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                        .childHandler(new ChannelInitializer<Channel>() {
                            @Override
                            protected void initChannel(Channel ch) {
                                ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                        ctx.writeAndFlush(msg);
                                    }
                                });
                            }
                        }).bind("127.0.0.1", 0).sync().channel();
                assertEquals("tcp echo", echo(group, server.localAddress(), "tcp echo"));

                CompletableFuture<String> received = new CompletableFuture<>();
                Channel receiver = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                        .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                                received.complete(packet.content().toString(StandardCharsets.US_ASCII));
                            }
                        }).bind("127.0.0.1", 0).sync().channel();
                Channel sender = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                        .handler(new ChannelInboundHandlerAdapter()).bind("127.0.0.1", 0).sync().channel();
                sender.writeAndFlush(new DatagramPacket(Unpooled.copiedBuffer("datagram", StandardCharsets.US_ASCII),
                        (InetSocketAddress) receiver.localAddress())).sync();
                assertEquals("datagram", received.get(10, TimeUnit.SECONDS));
                sender.close().sync();
                receiver.close().sync();
                server.close().sync();
            } finally {
                group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
            }
            assertTrue(domain.leftoverFiles().isEmpty(), domain.leftoverFiles().toString());
        }
    }

    private static String echo(EventLoopGroup group, java.net.SocketAddress address, String text) throws Exception {
        CompletableFuture<String> echoed = new CompletableFuture<>();
        Channel client = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new SimpleChannelInboundHandler<ByteBuf>() {
                    private final StringBuilder sb = new StringBuilder();

                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                        sb.append(msg.toString(StandardCharsets.US_ASCII));
                        if (sb.length() >= text.length()) {
                            echoed.complete(sb.toString());
                        }
                    }
                }).connect(address).sync().channel();
        client.writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
        try {
            return echoed.get(10, TimeUnit.SECONDS);
        } finally {
            client.close().sync();
        }
    }
}
