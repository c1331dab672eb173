package io.smcd.it.grpc;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ServerChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The Netty channels behind gRPC's connections, for asserting their mode: a client {@link ChannelFactory} for
 * {@code NettyChannelBuilder.channelFactory} that records each channel it makes, or a server one for
 * {@code NettyServerBuilder.channelFactory} whose server channels have a recording handler first in their pipeline,
 * which sees every accepted child in {@code channelRead} before gRPC's acceptor does.
 *
 * <p>Thread-safe.
 */
final class ChannelRecorder {
    private final List<Channel> channels = new CopyOnWriteArrayList<>();
    private final List<ServerChannel> listeners = new CopyOnWriteArrayList<>();
    private final ChannelHandler acceptedChildren = new AcceptedChildren();

    ChannelFactory<Channel> clientFactory(Supplier<? extends Channel> newChannel) {
        return () -> {
            Channel channel = newChannel.get();
            channels.add(channel);
            return channel;
        };
    }

    ChannelFactory<ServerChannel> serverFactory(Supplier<? extends ServerChannel> newChannel) {
        return () -> {
            ServerChannel channel = newChannel.get();
            channel.pipeline().addFirst(acceptedChildren);
            listeners.add(channel);
            return channel;
        };
    }

    /** The channels recorded so far, in order: made by the client factory, or accepted by the server channels. */
    List<Channel> channels() {
        return new ArrayList<>(channels);
    }

    /** The server channels the server factory made. */
    List<ServerChannel> listeners() {
        return new ArrayList<>(listeners);
    }

    @ChannelHandler.Sharable
    private final class AcceptedChildren extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            channels.add((Channel) msg);
            ctx.fireChannelRead(msg);
        }
    }
}
