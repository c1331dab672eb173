package io.smcd.stat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.smcd.channel.SmcdEventLoopGroup;
import io.smcd.channel.SmcdIoHandlerConfig;
import io.smcd.channel.SmcdServerSocketChannel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A child JVM for {@link SmcdStatTest}: an smcd echo server in domain {@code args[0]}; prints its port, stops on EOF. */
public final class StatPeerMain {
    private StatPeerMain() {
    }

    public static void main(String[] args) throws Exception {
        SmcdEventLoopGroup group = new SmcdEventLoopGroup(1, new SmcdIoHandlerConfig().setDomainDirectory(Path.of(args[0])));
        try {
            Channel server = new ServerBootstrap().group(group).channel(SmcdServerSocketChannel.class)
                    .childHandler(new Echo()).bind("127.0.0.1", 0).sync().channel();
            System.out.println("PORT " + ((java.net.InetSocketAddress) server.localAddress()).getPort());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (in.readLine() != null) {
                // Runs until the test closes stdin or kills this process.
            }
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
        }
    }

    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }
    }
}
