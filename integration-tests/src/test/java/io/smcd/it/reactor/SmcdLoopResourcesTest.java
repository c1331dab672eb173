package io.smcd.it.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketChannel;
import io.netty.channel.unix.ServerDomainSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import io.smcd.channel.SmcdMode;
import io.smcd.channel.SmcdServerSocketChannel;
import io.smcd.channel.SmcdSocketChannel;
import io.smcd.it.LiveThreads;
import io.smcd.it.PrivateDomain;
import io.smcd.reactor.SmcdLoopResources;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;

/**
 * {@link SmcdLoopResources} on its own: which channel each Reactor request gets, its threads, and that disposing it
 * ends every thread and removes the SMC-D domain. Each test uses its own prefix and domain.
 */
class SmcdLoopResourcesTest {
    private static final Duration BOUND = Duration.ofSeconds(30);

    private final String prefix = "it-loops-" + UUID.randomUUID().toString().substring(0, 8);
    private final PrivateDomain domain = PrivateDomain.create();
    private final List<LoopResources> created = new ArrayList<>();

    private LoopResources loops(int workers, boolean daemon) {
        LoopResources loops = SmcdLoopResources.create(prefix, workers, daemon, domain.config());
        created.add(loops);
        return loops;
    }

    @AfterEach
    void disposeEverything() throws Exception {
        try {
            for (LoopResources loops : created) {
                loops.disposeLater(Duration.ZERO, BOUND).block(BOUND);
            }
            LiveThreads.assertAllEnded(prefix, BOUND);
            domain.assertRemoved();
        } finally {
            domain.close();
        }
    }

    @Test
    void tcpChannelsOnItsGroupsAreSmcd() {
        LoopResources loops = loops(1, true);
        for (boolean useNative : new boolean[] {true, false}) {
            for (EventLoopGroup group : List.of(loops.onServer(useNative), loops.onServerSelect(useNative),
                    loops.onClient(useNative))) {
                assertInstanceOf(SmcdSocketChannel.class, loops.onChannel(SocketChannel.class, group));
                assertInstanceOf(SmcdServerSocketChannel.class, loops.onChannel(ServerSocketChannel.class, group));
                assertSame(SmcdSocketChannel.class, loops.onChannelClass(SocketChannel.class, group));
                assertSame(SmcdServerSocketChannel.class, loops.onChannelClass(ServerSocketChannel.class, group));
            }
        }
        assertSame(loops.onServer(true), loops.onServer(false), "one group whatever useNative says");
        assertSame(loops.onServer(true), loops.onServerSelect(true), "servers accept and serve on one group");
        assertNotEquals(loops.onServer(true), loops.onClient(true), "clients get the group colocated");
    }

    @Test
    void datagramChannelsStayNioAndRunOnTheSmcdGroup() throws Exception {
        LoopResources loops = loops(1, true);
        EventLoopGroup group = loops.onClient(true);
        assertSame(NioDatagramChannel.class, loops.onChannelClass(DatagramChannel.class, group));
        DatagramChannel channel = loops.onChannel(DatagramChannel.class, group);
        assertInstanceOf(NioDatagramChannel.class, channel);
        try {
            loops.onServer(true).register(channel).sync();
            channel.bind(new InetSocketAddress("127.0.0.1", 0)).sync();
            assertTrue(channel.isActive());
        } finally {
            channel.close().sync();
        }
    }

    @Test
    void domainSocketsGetWhatReactorGivesANioGroup() {
        LoopResources loops = loops(1, true);
        EventLoopGroup nio = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            LoopResources reactorDefault = useNative -> nio;
            for (EventLoopGroup group : List.of(loops.onServer(true), loops.onClient(true))) {
                for (Class<? extends Channel> type : List.of(DomainSocketChannel.class, ServerDomainSocketChannel.class)) {
                    String expected = answer(() -> reactorDefault.onChannel(type, nio).getClass());
                    assertTrue(expected.startsWith("io.netty.channel.socket.nio."), expected);
                    assertEquals(expected, answer(() -> loops.onChannel(type, group).getClass()));
                    assertEquals(answer(() -> reactorDefault.onChannelClass(type, nio)),
                            answer(() -> loops.onChannelClass(type, group)));
                }
            }
        } finally {
            nio.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(BOUND.toMillis());
        }
    }

    /** The class a call returns, or the exception it throws, as text to compare. */
    private static String answer(Supplier<Class<?>> call) {
        try {
            return call.get().getName();
        } catch (RuntimeException e) {
            return e.toString();
        }
    }

    @Test
    void domainSocketServerAndClientRunOnTheSmcdGroup(@TempDir Path temp) {
        LoopResources loops = loops(1, true);
        ConnectionLog accepted = new ConnectionLog();
        ConnectionLog connected = new ConnectionLog();
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(temp.resolve("echo.sock"));
        DisposableServer server = TcpServer.create().runOn(loops).bindAddress(() -> address)
                .doOnConnection(accepted::add)
                .handle((in, out) -> out.send(in.receive().retain()))
                .bindNow(BOUND);
        try {
            Connection client = TcpClient.newConnection().runOn(loops).remoteAddress(() -> address)
                    .doOnConnected(connected::add).connectNow(BOUND);
            ReactorEcho.exchange(client, 2, 300_000);
            client.disposeNow(BOUND);
        } finally {
            server.disposeNow(BOUND);
        }
        for (Channel channel : List.of(accepted.channels().get(0), connected.channels().get(0))) {
            assertFalse(channel instanceof SocketChannel, channel.toString());
            assertTrue(channel.eventLoop().parent() == loops.onServer(true), channel + " on " + channel.eventLoop());
        }
    }

    @Test
    void groupsItDidNotCreateGetReactorsDefault() {
        LoopResources loops = loops(1, true);
        EventLoopGroup nio = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel channel = loops.onChannel(SocketChannel.class, nio);
            assertSame(NioSocketChannel.class, channel.getClass());
            assertSame(NioSocketChannel.class, loops.onChannelClass(SocketChannel.class, nio));
        } finally {
            nio.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(BOUND.toMillis());
        }
    }

    @Test
    void threadsAreNamedFromThePrefixAndAreNonBlocking() throws Exception {
        LoopResources loops = loops(2, false);
        assertFalse(loops.daemon());
        List<String> names = new ArrayList<>();
        for (EventExecutor loop : loops.onServer(true)) {
            names.add(loop.submit(() -> {
                Thread thread = Thread.currentThread();
                assertFalse(thread.isDaemon(), thread.getName());
                assertTrue(Schedulers.isInNonBlockingThread(), thread.getName());
                return thread.getName();
            }).get(BOUND.toMillis(), TimeUnit.MILLISECONDS));
        }
        names.sort(null);
        assertEquals(List.of(prefix + "-smcd-1", prefix + "-smcd-2"), names);
    }

    @Test
    void defaultsAreReactorsWorkerCountAndDaemonThreads() throws Exception {
        LoopResources loops = SmcdLoopResources.create(prefix);
        created.add(loops);
        assertTrue(loops.daemon());
        int count = 0;
        for (EventExecutor loop : loops.onServer(true)) {
            count++;
            assertTrue(loop.submit(() -> Thread.currentThread().isDaemon()).get(BOUND.toMillis(), TimeUnit.MILLISECONDS));
        }
        assertEquals(LoopResources.DEFAULT_IO_WORKER_COUNT, count);
    }

    @Test
    void disposeLaterEndsTheThreadsAndRemovesTheDomainAfterAnSmcdConnection() throws Exception {
        LoopResources loops = loops(2, true);
        ConnectionLog accepted = new ConnectionLog();
        ConnectionLog connected = new ConnectionLog();
        DisposableServer server = ReactorEcho.server(loops, true, accepted);
        Connection client = TcpClient.newConnection().runOn(loops).remoteAddress(server::address)
                .doOnConnected(connected::add).connectNow(BOUND);
        ReactorEcho.exchange(client, 1, 100_000);
        connected.assertAll(1, SmcdMode.SMCD_LOOPBACK);
        accepted.assertAll(1, SmcdMode.SMCD_LOOPBACK);
        assertTrue(Files.isDirectory(domain.directory()), "the connection used the private domain");
        client.disposeNow(BOUND);
        server.disposeNow(BOUND);

        assertFalse(loops.isDisposed());
        loops.disposeLater(Duration.ZERO, BOUND).block(BOUND);
        assertTrue(loops.isDisposed());
        domain.assertRemoved();
        LiveThreads.assertAllEnded(prefix, BOUND);
        assertThrows(IllegalStateException.class, () -> loops.onServer(true));
        assertThrows(IllegalStateException.class, () -> loops.onClient(true));
        loops.disposeLater(Duration.ZERO, BOUND).block(BOUND);
    }

    @Test
    void disposeShutsDownInTheBackground() throws Exception {
        LoopResources loops = loops(1, true);
        EventLoopGroup group = loops.onServer(true);
        group.submit(() -> { }).get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        loops.dispose();
        assertTrue(loops.isDisposed());
        assertTrue(group.terminationFuture().await(BOUND.toMillis()), "group did not terminate");
    }

    @Test
    void unusedResourcesCreateNothing() {
        LoopResources loops = loops(1, true);
        loops.disposeLater(Duration.ZERO, BOUND).block(BOUND);
        assertTrue(loops.isDisposed());
        assertEquals(List.of(), LiveThreads.named(prefix));
        assertFalse(Files.exists(domain.directory()));
        assertThrows(IllegalStateException.class, () -> loops.onServer(true));
    }

    @Test
    void argumentsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> SmcdLoopResources.create(""));
        assertThrows(NullPointerException.class, () -> SmcdLoopResources.create(null));
        assertThrows(IllegalArgumentException.class, () -> SmcdLoopResources.create(prefix, 0, true));
        assertThrows(NullPointerException.class, () -> SmcdLoopResources.create(prefix, 1, true, null));
    }
}
