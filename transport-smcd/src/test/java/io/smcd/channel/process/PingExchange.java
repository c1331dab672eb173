package io.smcd.channel.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.smcd.channel.SmcdSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * One short conversation with an {@link EchoServerMain}, checked to the end of the stream: the greeting (if the
 * server speaks first), the echo of a ping, then, after the client's half-close, the server's close. Anything else on
 * the wire, a CLC message included, shows as extra or missing bytes.
 */
final class PingExchange {
    static final Duration BOUND = Duration.ofSeconds(30);
    static final byte[] PING = "ping\n".getBytes(StandardCharsets.US_ASCII);

    private PingExchange() {
    }

    /**
     * Connects a {@code channelClass} client to {@code server}, checks that it receives exactly {@code greeting}, then
     * the echo of a ping, then the end of the stream after its half-close; returns the (closed) channel.
     */
    static <C extends Channel> C run(EventLoopGroup group, Class<C> channelClass, ServerProcess server,
            byte[] greeting) throws Exception {
        CollectingHandler collector = new CollectingHandler();
        Bootstrap bootstrap = channelClass == SmcdSocketChannel.class ? Clients.smcd(group)
                : new Bootstrap().group(group).channel(channelClass);
        Channel channel = bootstrap.handler(collector).connect(server.address()).sync().channel();
        assertArrayEquals(greeting, Arrays.copyOf(collector.awaitBytes(greeting.length, BOUND), greeting.length),
                "the server's first bytes");
        channel.writeAndFlush(Unpooled.wrappedBuffer(PING)).sync();
        byte[] expected = concat(greeting, PING);
        collector.awaitBytes(expected.length, BOUND);
        ((SocketChannel) channel).shutdownOutput().sync();
        byte[] all = collector.awaitInactive(BOUND);
        assertArrayEquals(expected, all, "exactly greeting + echo, then end of stream, got " + CollectingHandler.printable(all));
        assertEquals(List.of(), collector.exceptions());
        return channelClass.cast(channel);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
