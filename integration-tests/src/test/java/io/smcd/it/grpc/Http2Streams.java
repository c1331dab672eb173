package io.smcd.it.grpc;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The HTTP/2 streams gRPC keeps open on a Netty channel, read on the channel's event loop. Stateless. */
final class Http2Streams {
    private Http2Streams() {
    }

    /** Streams open or half-closed on {@code channel}'s HTTP/2 connection. */
    static int active(Channel channel, Duration bound) throws Exception {
        Http2ConnectionHandler http2 = channel.pipeline().get(Http2ConnectionHandler.class);
        if (http2 == null) {
            throw new AssertionError("no HTTP/2 handler on " + channel + ": " + channel.pipeline().names());
        }
        return channel.eventLoop().submit(() -> http2.connection().numActiveStreams())
                .get(bound.toMillis(), TimeUnit.MILLISECONDS);
    }
}
