package io.smcd.examples.grpc;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.function.Consumer;

/**
 * Reports how each connection a server accepts carries its data. Added first to the server channel's pipeline, it sees
 * every accepted child before gRPC's acceptor and gives it a one-shot handler that reports the child's
 * {@linkplain ConnectionMode mode} when it becomes active (for smcd, after the CLC handshake), then leaves.
 *
 * <p>Thread-safe: it keeps no state; {@code log} is called from event loop threads.
 */
@ChannelHandler.Sharable
final class AcceptedConnectionLog extends ChannelInboundHandlerAdapter {
    private final Consumer<String> log;

    AcceptedConnectionLog(Consumer<String> log) {
        this.log = log;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ((Channel) msg).pipeline().addFirst(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext child) {
                log.accept("accepted " + child.channel().remoteAddress() + ": "
                        + ConnectionMode.describe(child.channel()));
                child.pipeline().remove(this);
                child.fireChannelActive();
            }
        });
        ctx.fireChannelRead(msg);
    }
}
