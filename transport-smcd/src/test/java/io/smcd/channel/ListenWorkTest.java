package io.smcd.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.smcd.sim.testing.TestDomain;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A server channel with {@code autoRead} off negotiates its connections before the application accepts them, as the
 * kernel's listen worker does: clients connect over SMC-D at once, although the CLC timeout here (60 s) is far longer
 * than any bound below, and the application then accepts them settled, one per {@code read()}, with Netty's events in
 * their usual order.
 */
class ListenWorkTest {
    private static final int CLC_TIMEOUT_MILLIS = 60_000;
    private static final long BOUND_SECONDS = 20;

    private TestDomain domain;
    private SmcdEventLoopGroup serverGroup;
    private SmcdEventLoopGroup clientGroup;
    private SmcdEventLoopGroup childGroup;
    private final BlockingQueue<AcceptedChild> accepted = new LinkedBlockingQueue<>();

    @BeforeEach
    void startGroups() throws Exception {
        domain = TestDomain.create();
        SmcdIoHandlerConfig config = new SmcdIoHandlerConfig().setDomainDirectory(domain.directory())
                .setClcTimeoutMillis(CLC_TIMEOUT_MILLIS);
        serverGroup = new SmcdEventLoopGroup(1, config);
        clientGroup = new SmcdEventLoopGroup(1, config);
        childGroup = new SmcdEventLoopGroup(1, config);
    }

    @AfterEach
    void stopGroups() throws Exception {
        try {
            assertTrue(clientGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(30, TimeUnit.SECONDS));
            assertTrue(childGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(30, TimeUnit.SECONDS));
            assertTrue(serverGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(30, TimeUnit.SECONDS));
            assertEquals(List.of(), domain.leftoverFiles());
        } finally {
            domain.close();
        }
    }

    @Test
    void clientsConnectBeforeTheApplicationAcceptsAndItAcceptsThemSettled() throws Exception {
        Channel server = notAcceptingServer(childGroup, 256 * 1024);
        List<Channel> clients = new ArrayList<>();
        clients.add(connect(server, SmcdMode.SMCD_LOOPBACK));
        clients.add(connect(server, SmcdMode.SMCD_COPY));
        clients.add(connect(server, null));
        for (int i = 0; i < clients.size(); i++) {
            assertEquals(i < 2 ? i == 0 ? SmcdMode.SMCD_LOOPBACK : SmcdMode.SMCD_COPY : SmcdMode.TCP,
                    ((SmcdSocketChannel) clients.get(i)).mode(), "client " + i);
        }
        assertEquals(0, accepted.size(), "accepted without a read()");

        List<AcceptedChild> children = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            server.read();
            AcceptedChild child = accepted.poll(BOUND_SECONDS, TimeUnit.SECONDS);
            assertNotNull(child, "read() " + i + " accepted nothing");
            assertTrue(accepted.isEmpty(), "read() " + i + " accepted more than one connection");
            assertEquals(List.of("handlerAdded", "channelRegistered", "channelActive"), child.events.subList(0, 3));
            children.add(child);
        }
        for (AcceptedChild child : children) {
            SmcdSocketChannel channel = child.channel;
            if (channel.mode().isSmcd()) {
                assertEquals(256 * 1024, channel.statistics().connection().rmbSize(),
                        "the server channel's SMCD_DMB_SIZE applies to connections negotiated before accept");
            } else {
                assertEquals(SmcdFallbackReason.PEER_NO_INTENT.localCode(), channel.fallbackReason().localCode());
            }
        }
        for (Channel client : clients) {
            echoes(client, 1024 * 1024);
        }
        for (Channel client : clients) {
            client.close().sync();
        }
        server.close().sync();
    }

    @Test
    void connectionsWaitingForTheApplicationCloseWithTheServer() throws Exception {
        Channel server = notAcceptingServer(serverGroup, 64 * 1024);
        Channel first = connect(server, SmcdMode.SMCD_LOOPBACK);
        Channel second = connect(server, SmcdMode.SMCD_COPY);
        server.close().sync();
        assertTrue(first.closeFuture().await(BOUND_SECONDS, TimeUnit.SECONDS), "client of a closed server stays open");
        assertTrue(second.closeFuture().await(BOUND_SECONDS, TimeUnit.SECONDS), "client of a closed server stays open");
        assertEquals(0, accepted.size());
    }

    /** A server that does not accept, its accepted channels registered on {@code children} (or on its own loop). */
    private Channel notAcceptingServer(SmcdEventLoopGroup children, int dmbSize) throws InterruptedException {
        return new ServerBootstrap().group(serverGroup, children).channel(SmcdServerSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .option(SmcdChannelOption.SMCD_DMB_SIZE, dmbSize)
                .childHandler(new ChannelInitializer<SmcdSocketChannel>() {
                    @Override
                    protected void initChannel(SmcdSocketChannel ch) {
                        ch.pipeline().addLast(new AcceptedHandler());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    /** Records a child's events and echoes what it reads; the child is accepted once it is active. */
    private final class AcceptedHandler extends ChannelInboundHandlerAdapter {
        private AcceptedChild child;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            child = new AcceptedChild((SmcdSocketChannel) ctx.channel());
            child.events.add("handlerAdded");
        }

        @Override
        public void channelRegistered(ChannelHandlerContext ctx) {
            child.events.add("channelRegistered");
            ctx.fireChannelRegistered();
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            child.events.add("channelActive");
            accepted.add(child);
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }
    }

    /** Connects a client offering only {@code device}, or a client with SMC-D off if null; the connect must complete. */
    private Channel connect(Channel server, SmcdMode device) throws InterruptedException {
        Bootstrap bootstrap = new Bootstrap().group(clientGroup).channel(SmcdSocketChannel.class)
                .handler(new ClientHandler());
        if (device != null) {
            bootstrap.option(SmcdChannelOption.SMCD_DEVICES, List.of(device));
        } else {
            bootstrap.option(SmcdChannelOption.SMCD_ENABLED, false);
        }
        ChannelFuture connect = bootstrap.connect(server.localAddress());
        assertTrue(connect.await(BOUND_SECONDS, TimeUnit.SECONDS), "connect waits for the application");
        return connect.sync().channel();
    }

    private static void echoes(Channel client, int size) throws Exception {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        ClientHandler handler = client.pipeline().get(ClientHandler.class);
        handler.expect(size);
        client.writeAndFlush(Unpooled.wrappedBuffer(data)).sync();
        assertArrayEquals(data, handler.received.get(BOUND_SECONDS, TimeUnit.SECONDS));
    }

    private static final class AcceptedChild {
        final SmcdSocketChannel channel;
        final List<String> events = new ArrayList<>();

        AcceptedChild(SmcdSocketChannel channel) {
            this.channel = channel;
        }
    }

    /** Collects what the client receives until the expected number of bytes is in. */
    private static final class ClientHandler extends ChannelInboundHandlerAdapter {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> received = new CompletableFuture<>();
        private volatile int expected;

        void expect(int size) {
            expected = size;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                bytes.writeBytes(ByteBufUtil.getBytes(buf));
            } finally {
                buf.release();
            }
            if (bytes.size() >= expected) {
                received.complete(bytes.toByteArray());
            }
        }
    }
}
