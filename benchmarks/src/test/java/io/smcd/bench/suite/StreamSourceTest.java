package io.smcd.bench.suite;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.smcd.bench.common.StreamPattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link StreamSource} writes exactly the pattern's stream while it reuses its chunks, over NIO TCP on the loopback
 * address: a chunk restamped while still queued or taken from the wrong phase would show up as a wrong byte in the
 * reader's full check. The suite's water marks let more chunks wait in the channel than a cycle of the pattern has.
 */
class StreamSourceTest {
    private static final long STREAM_BYTES = 48L << 20;

    private EventLoopGroup group;

    @BeforeEach
    void startGroup() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterEach
    void stopGroup() throws Exception {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
    }

    @ParameterizedTest
    @ValueSource(ints = {64000, 128 * 1024, 5000})
    void writesThePatternsStreamWhileReusingChunks(int chunkSize) throws Exception {
        DataRequest request = new DataRequest(true, chunkSize, 17, 0, 1, true);
        FullCheck check = new FullCheck(request.pattern());
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(check).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        Channel client = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, NettyTransport.WATER_MARK)
                .handler(new ChannelInboundHandlerAdapter()).connect(server.localAddress()).sync().channel();
        try {
            StreamSource source = client.eventLoop().submit(() -> StreamSource.start(client, request.pattern(), chunkSize)).get();
            long[] readAndCompared = check.done.get(60, TimeUnit.SECONDS);
            long[] writtenAndFilled = client.eventLoop().submit(() -> {
                source.stop();
                return new long[] {source.offset() / chunkSize, source.chunksFilled()};
            }).get();
            assertTrue(readAndCompared[0] >= STREAM_BYTES, "read=" + readAndCompared[0]);
            assertEquals(readAndCompared[0], readAndCompared[1], "every byte compared");
            assertTrue(writtenAndFilled[1] * 4 < writtenAndFilled[0],
                    "chunks filled afresh=" + writtenAndFilled[1] + " of " + writtenAndFilled[0] + " written");
        } finally {
            client.close().sync();
            server.close().sync();
        }
    }

    /**
     * Compares every byte it reads with the pattern; once it has read enough, completes with the bytes read and
     * compared. Shared only to be handed to the server; one connection uses it.
     */
    @Sharable
    private static final class FullCheck extends ChannelInboundHandlerAdapter {
        private final StreamPattern pattern;
        private final CompletableFuture<long[]> done = new CompletableFuture<>();
        private long offset;
        private long compared;

        FullCheck(StreamPattern pattern) {
            this.pattern = pattern;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            ByteBuf in = (ByteBuf) msg;
            try {
                int n = in.readableBytes();
                compared += pattern.verify(in.nioBuffer(in.readerIndex(), n), n, offset, true);
                offset += n;
            } finally {
                in.release();
            }
            if (offset >= STREAM_BYTES) {
                done.complete(new long[] {offset, compared});
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.completeExceptionally(cause);
            ctx.close();
        }
    }
}
