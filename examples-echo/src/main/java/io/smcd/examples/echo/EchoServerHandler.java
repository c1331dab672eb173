package io.smcd.examples.echo;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Writes back every byte it reads. It stops reading while the channel is not writable, so a client that sends
 * faster than it reads fills its own send path instead of this server's memory.
 *
 * <p>Stateless and {@link ChannelHandler.Sharable}: one instance serves every connection.
 */
@ChannelHandler.Sharable
final class EchoServerHandler extends ChannelInboundHandlerAdapter {
    private final boolean logConnections;

    EchoServerHandler(boolean logConnections) {
        this.logConnections = logConnections;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (logConnections) {
            System.out.println("accepted " + ctx.channel().remoteAddress() + " over "
                    + ConnectionMode.describe(ctx.channel()));
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ctx.write(msg, ctx.voidPromise());
        if (!ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
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
        if (logConnections) {
            System.out.println("connection " + ctx.channel().remoteAddress() + " failed: " + cause);
        }
        ctx.close();
    }
}
