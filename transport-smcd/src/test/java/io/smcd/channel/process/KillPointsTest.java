package io.smcd.channel.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.smcd.channel.SmcdChannelOption;
import io.smcd.channel.SmcdMode;
import io.smcd.channel.SmcdServerSocketChannel;
import io.smcd.channel.SmcdSocketChannel;
import io.smcd.sim.testing.ChildJvm;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SIGKILL of the peer process at random points of a connection's life, {@value #ROUNDS} rounds, the peer a server in
 * some rounds and a client in others, on either device: while CLC runs, right after the handshake, mid-stream, while
 * the stream is being closed, and mid-stream on buffers the link group lent again. This JVM survives every round:
 * each of its channels to the dead peer closes within {@value #CLOSE_BOUND_SECONDS} s, with an {@link IOException}
 * whenever it was streaming over SMC-D; a stream between this JVM and itself runs through every round and is checked
 * byte for byte at the end; and once this JVM's group shuts down, it is the domain's last member and leaves nothing.
 */
@Timeout(900)
class KillPointsTest {
    private static final int ROUNDS = 100;
    private static final long CLOSE_BOUND_SECONDS = 10;
    private static final int SEQUENTIAL_BEFORE_REUSE = 4;

    /** Where in a connection's life the peer dies. */
    enum Point {
        DURING_CLC, AFTER_HANDSHAKE, MID_STREAM, DURING_CLOSE, ON_REUSED_BUFFERS
    }

    @Test
    void theSurvivorOfAPeerKilledAnywhereClosesItsChannelsAndCarriesOn() throws Exception {
        int rounds = FaultScale.times(ROUNDS);
        SplittableRandom random = new SplittableRandom(0xDEADL);
        Path domain = Paths.get("/dev/shm", "smcd-test-" + UUID.randomUUID());
        ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
        Map<String, Integer> outcomes = new TreeMap<>();
        long verified;
        try {
            EventLoopGroup group = Clients.group(2, domain);
            try {
                Queue accepted = new Queue();
                Channel server = new ServerBootstrap().group(group).channel(SmcdServerSocketChannel.class)
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                Tracked tracked = new Tracked(ch);
                                accepted.add(tracked);
                                ch.pipeline().addLast(tracked, new EchoServerMain.EchoHandler(null, false, new EchoServerMain.Stats()));
                            }
                        })
                        .bind("127.0.0.1", 0).sync().channel();
                int port = ((InetSocketAddress) server.localAddress()).getPort();
                SteadyStreams steady = new SteadyStreams(group, server.localAddress(), accepted);

                for (int round = 0; round < rounds; round++) {
                    Point point = Point.values()[random.nextInt(Point.values().length)];
                    SmcdMode device = random.nextBoolean() ? SmcdMode.SMCD_LOOPBACK : SmcdMode.SMCD_COPY;
                    boolean peerIsServer = random.nextBoolean();
                    String what = "round " + round + ": " + (peerIsServer ? "server" : "client") + " killed "
                            + point + " over " + device;
                    String outcome;
                    if (peerIsServer) {
                        outcome = killServer(group, domain, point, device, random, killer, what);
                    } else {
                        outcome = killClient(domain, port, point, device, random, accepted, what);
                    }
                    outcomes.merge(point + " " + (peerIsServer ? "server" : "client") + ": " + outcome, 1, Integer::sum);
                    steady.check(what);
                }
                verified = steady.finish();
                server.close().sync();
            } finally {
                Clients.shutdown(group);
            }
            DomainFiles.awaitRemoved(domain);
            System.out.printf(Locale.ROOT, "%d peers SIGKILLed (point, role killed: the survivor's connection) %s; %d bytes of the steady streams echoed intact;"
                    + " nothing left in the domain%n", rounds, outcomes, verified);
        } finally {
            killer.shutdownNow();
            DomainFiles.removeQuietly(domain);
        }
    }

    /** The peer is an {@link EchoServerMain}; this JVM's client streams to it and the server dies at {@code point}. */
    private static String killServer(EventLoopGroup group, Path domain, Point point, SmcdMode device, SplittableRandom random,
            ScheduledExecutorService killer, String what) throws Exception {
        try (ServerProcess peer = ServerProcess.smcd(domain, "devices=" + device)) {
            if (point == Point.ON_REUSED_BUFFERS) {
                for (int i = 0; i < SEQUENTIAL_BEFORE_REUSE; i++) {
                    PingExchange.run(group, SmcdSocketChannel.class, peer, new byte[0]);
                }
            }
            long threshold = (1L + random.nextInt(8)) << 20;
            StreamingEchoClient stream = new StreamingEchoClient(Long.MAX_VALUE, threshold, random.nextLong());
            CompletableFuture<Void> killed = new CompletableFuture<>();
            ChannelFuture connecting = Clients.smcd(group).option(SmcdChannelOption.SMCD_DEVICES, List.of(device))
                    .handler(stream).connect(peer.address());
            switch (point) {
                case DURING_CLC:
                    killer.schedule(() -> kill(peer, killed), random.nextInt(3000), TimeUnit.MICROSECONDS);
                    break;
                case AFTER_HANDSHAKE:
                    connecting.addListener(f -> killer.execute(() -> kill(peer, killed)));
                    break;
                default:
                    connecting.sync();
                    stream.reached().get(60, TimeUnit.SECONDS);
                    if (point == Point.DURING_CLOSE) {
                        connecting.channel().close();
                    }
                    kill(peer, killed);
                    break;
            }
            killed.get(60, TimeUnit.SECONDS);
            if (!connecting.await(CLOSE_BOUND_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError(what + ": connect still pending " + CLOSE_BOUND_SECONDS + " s after the kill");
            }
            if (!connecting.isSuccess()) {
                return "connect failed";
            }
            SmcdSocketChannel channel = (SmcdSocketChannel) connecting.channel();
            try {
                stream.closed().get(CLOSE_BOUND_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError(what + ": channel still open " + CLOSE_BOUND_SECONDS + " s after the kill: "
                        + channel + " " + stream, e);
            }
            if (streaming(point) && channel.mode() == device) {
                assertTrue(peerDeathSeen(stream.exceptionsCaught(), stream.writeFailures()), what
                        + ": closed without an IOException: " + stream.exceptionsCaught() + ", " + stream.writeFailures());
            }
            return channel.mode().name();
        }
    }

    /** The peer is a {@link StreamingClientMain} streaming to this JVM's server; it dies at {@code point}. */
    private static String killClient(Path domain, int port, Point point, SmcdMode device, SplittableRandom random,
            Queue accepted, String what) throws Exception {
        int sequential = point == Point.ON_REUSED_BUFFERS ? SEQUENTIAL_BEFORE_REUSE : 0;
        try (ChildJvm peer = ChildJvm.start(StreamingClientMain.class, "domain=" + domain, "port=" + port,
                "device=" + device, "sequential=" + sequential, "close=" + (point == Point.DURING_CLOSE),
                "seed=" + random.nextLong())) {
            switch (point) {
                case DURING_CLC:
                    peer.expect("CONNECTING", ServerProcess.BOUND);
                    // Once this side has accepted the TCP connection, the intent's claim and the handshake follow.
                    accepted.awaitAny(ServerProcess.BOUND);
                    Thread.sleep(0, random.nextInt(500_000));
                    break;
                case AFTER_HANDSHAKE:
                    peer.expect("ACTIVE ", ServerProcess.BOUND);
                    break;
                case DURING_CLOSE:
                    peer.expect("CLOSING", ServerProcess.BOUND);
                    break;
                default:
                    peer.expect("STREAMING", ServerProcess.BOUND);
                    Thread.sleep(random.nextInt(20));
                    break;
            }
            List<Tracked> ours = accepted.drain();
            // The stream is the child's last connection; the ping exchanges before it closed (or are closing) already.
            Tracked stream = ours.isEmpty() ? null : ours.get(ours.size() - 1);
            peer.kill();
            ours.addAll(accepted.drain());
            for (Tracked tracked : ours) {
                try {
                    tracked.closed.get(CLOSE_BOUND_SECONDS, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    throw new AssertionError(what + ": accepted channel still open " + CLOSE_BOUND_SECONDS
                            + " s after the kill: " + tracked.channel, e);
                }
                SmcdSocketChannel channel = (SmcdSocketChannel) tracked.channel;
                if (streaming(point) && channel.mode() == device && tracked == stream) {
                    assertTrue(peerDeathSeen(tracked.exceptions, tracked.writeFailures), what + ": " + channel
                            + " closed without an IOException: " + tracked.exceptions + ", " + tracked.writeFailures
                            + "; at its close: " + tracked.atClose + "\nthe killed client's stderr:\n" + peer.stderr());
                }
            }
            return stream == null ? "not accepted yet" : ((SmcdSocketChannel) stream.channel).mode().name();
        }
    }

    private static boolean streaming(Point point) {
        return point == Point.MID_STREAM || point == Point.ON_REUSED_BUFFERS;
    }

    private static void kill(ServerProcess peer, CompletableFuture<Void> killed) {
        try {
            peer.child().kill();
            killed.complete(null);
        } catch (InterruptedException | RuntimeException e) {
            killed.completeExceptionally(e);
        }
    }

    /**
     * Whether an {@link IOException} other than "closed" reached the application, waiting a little for it: Netty may
     * complete the close future before it fails the pending writes.
     */
    private static boolean peerDeathSeen(List<Throwable> caught, List<Throwable> writeFailures)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_BOUND_SECONDS);
        while (Stream.concat(caught.stream(), writeFailures.stream())
                .noneMatch(t -> t instanceof IOException && !(t instanceof ClosedChannelException))) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    /**
     * Streams of {@value #STEADY_BYTES} bytes between this JVM and itself, one after another through all rounds: each
     * must end with every byte echoed in order (CRC32C of what was sent and of what came back), and none may fail.
     */
    private static final class SteadyStreams {
        private static final long STEADY_BYTES = 64L << 20;
        private final EventLoopGroup group;
        private final SocketAddress server;
        private StreamingEchoClient current;
        private Channel channel;
        private final Queue accepted;
        private long verified;
        private long seed = 0x57EADL;

        SteadyStreams(EventLoopGroup group, SocketAddress server, Queue accepted) throws InterruptedException {
            this.group = group;
            this.server = server;
            this.accepted = accepted;
            start();
        }

        /** Verifies the current stream if it has ended, and starts the next; fails if it broke. */
        void check(String what) throws Exception {
            if (current.closed().isDone() && !current.done().isDone()) {
                throw new AssertionError(what + ": the steady stream broke: " + current + " " + current.exceptionsCaught());
            }
            if (current.done().isDone()) {
                verify();
                start();
            }
        }

        /** Waits for the current stream, verifies it, and returns the bytes verified over all streams. */
        long finish() throws Exception {
            current.done().get(60, TimeUnit.SECONDS);
            verify();
            return verified;
        }

        private void verify() throws InterruptedException {
            channel.close().sync();
            assertEquals(List.of(), current.exceptionsCaught(), "the steady stream " + current);
            assertEquals(current.sentCrc(), current.receivedCrc(), "CRC32C of the steady stream " + current);
            verified += current.received();
        }

        private void start() throws InterruptedException {
            current = new StreamingEchoClient(STEADY_BYTES, STEADY_BYTES, seed++);
            channel = Clients.smcd(group).handler(current).connect(server).sync().channel();
            accepted.remove(channel.localAddress());
        }
    }

    /** The accepted channels not yet looked at. */
    private static final class Queue {
        private final ConcurrentLinkedQueue<Tracked> channels = new ConcurrentLinkedQueue<>();

        void add(Tracked tracked) {
            channels.add(tracked);
        }

        void awaitAny(Duration bound) throws InterruptedException {
            long deadline = System.nanoTime() + bound.toNanos();
            while (channels.isEmpty()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("no connection accepted within " + bound);
                }
                Thread.onSpinWait();
            }
        }

        /**
         * Takes the accepted side of the connection from {@code client} (open, so its address names it alone) out of
         * the queue, so only the peers' connections are left in it.
         */
        void remove(SocketAddress client) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!channels.removeIf(t -> client.equals(t.channel.remoteAddress()))) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("the connection from " + client + " was never accepted");
                }
                Thread.sleep(1);
            }
        }

        List<Tracked> drain() {
            List<Tracked> all = new ArrayList<>();
            for (Tracked t; (t = channels.poll()) != null;) {
                all.add(t);
            }
            return all;
        }
    }

    /** What happened to one accepted channel: exceptions caught, failed echo writes, its close. */
    private static final class Tracked extends ChannelDuplexHandler {
        final Channel channel;
        final List<Throwable> exceptions = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        final List<Throwable> writeFailures = new CopyOnWriteArrayList<>();

        volatile Object atClose;

        Tracked(Channel channel) {
            this.channel = channel;
            channel.closeFuture().addListener(f -> {
                atClose = ((SmcdSocketChannel) channel).statistics();
                closed.complete(null);
            });
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (!promise.isVoid()) {
                promise.addListener(f -> {
                    if (!f.isSuccess() && writeFailures.size() < 16) {
                        writeFailures.add(f.cause());
                    }
                });
            }
            ctx.write(msg, promise);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            exceptions.add(cause);
            ctx.close();
        }
    }
}
