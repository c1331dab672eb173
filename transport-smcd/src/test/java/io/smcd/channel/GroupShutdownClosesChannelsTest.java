package io.smcd.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.smcd.sim.testing.TestDomain;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A group shut down right after its last client closed: the accepted SMC-D child, which has not seen the close yet,
 * must be closed by the shutdown (its socket, DMBs and domain reference released), however the shutdown request
 * interleaves with the loop. Netty 4.2's loop can end without {@code prepareToDestroy} then (this shape hit it in 10 of
 * 10 rounds before {@link SmcdIoHandler#destroy()} closed what it skipped).
 */
class GroupShutdownClosesChannelsTest {
    @Test
    void theShutdownClosesAChildThatHasNotSeenItsPeersClose() throws Exception {
        for (int round = 0; round < 10; round++) {
            try (TestDomain d = TestDomain.create()) {
                SmcdEventLoopGroup group = new SmcdEventLoopGroup(1, new SmcdIoHandlerConfig().setDomainDirectory(d.directory()));
                AtomicReference<Channel> child = new AtomicReference<>();
                Channel server = new ServerBootstrap().group(group).channel(SmcdServerSocketChannel.class)
                        .childHandler(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void handlerAdded(ChannelHandlerContext ctx) {
                                child.set(ctx.channel());
                            }
                        }).bind("127.0.0.1", 0).sync().channel();
                SmcdSocketChannel client = (SmcdSocketChannel) new Bootstrap().group(group).channel(SmcdSocketChannel.class)
                        .handler(new ChannelInboundHandlerAdapter()).connect(server.localAddress()).sync().channel();
                assertEquals(SmcdMode.SMCD_LOOPBACK, client.mode());
                client.writeAndFlush(Unpooled.wrappedBuffer(new byte[4096])).sync();
                client.close().sync();
                server.close().sync();
                assertTrue(group.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(30, TimeUnit.SECONDS));
                assertFalse(child.get().isOpen(), "round " + round + ": the child outlived its group");
                assertTrue(group.statistics().connections().isEmpty(), "round " + round + ": the domain is still open");
                assertEquals(List.of(), d.leftoverFiles(), "round " + round);
            }
        }
    }
}
