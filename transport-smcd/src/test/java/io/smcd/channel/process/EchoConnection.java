package io.smcd.channel.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.smcd.channel.SmcdSocketChannel;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.SplittableRandom;

/** One open connection to an echo server; each {@link #check} is a random-sized echo compared byte for byte. */
final class EchoConnection {
    final SmcdSocketChannel channel;
    final CollectingHandler collector;
    private byte[] expected = new byte[0];

    private EchoConnection(SmcdSocketChannel channel, CollectingHandler collector) {
        this.channel = channel;
        this.collector = collector;
    }

    /** Connects {@code bootstrap} (an smcd one; its handler is replaced) to {@code server}. */
    static EchoConnection open(Bootstrap bootstrap, SocketAddress server) throws InterruptedException {
        CollectingHandler collector = new CollectingHandler();
        SmcdSocketChannel channel = (SmcdSocketChannel) bootstrap.handler(collector).connect(server).sync().channel();
        return new EchoConnection(channel, collector);
    }

    /** Echoes 1 to {@code maxBytes} random bytes and checks that everything sent so far came back in order. */
    void check(SplittableRandom random, int maxBytes) throws InterruptedException {
        byte[] bytes = new byte[1 + random.nextInt(maxBytes)];
        random.nextBytes(bytes);
        channel.writeAndFlush(Unpooled.wrappedBuffer(bytes));
        expected = PingExchange.concat(expected, bytes);
        byte[] received;
        try {
            received = collector.awaitBytes(expected.length, ServerProcess.BOUND);
        } catch (AssertionError e) {
            throw new AssertionError("echo failed on " + channel + ", exceptions " + collector.exceptions(), e);
        }
        assertArrayEquals(expected, Arrays.copyOf(received, expected.length), "echo on " + channel);
    }

    void close() throws InterruptedException {
        channel.close().sync();
    }
}
