package io.smcd.channel.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.util.ReferenceCountUtil;
import io.smcd.channel.SmcdChannelAccess;
import io.smcd.channel.SmcdChannelOption;
import io.smcd.channel.SmcdMode;
import io.smcd.channel.SmcdSocketChannel;
import io.smcd.sim.SmcdConnection;
import io.smcd.sim.registry.EndpointRegistry;
import io.smcd.sim.testing.TestDomain;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A peer that completes real SMC-D handshakes and then writes random and adversarial values into everything of the
 * connection it can reach in shared memory ({@link SharedMemoryMutator}), against an echo server in another process.
 * The server must never crash, hang or fail with anything but an {@link IOException} naming the bad value; it must
 * keep serving its other connections from the same peer with every byte intact, accept SMC-D connections afterwards,
 * shut down cleanly, and leave no file behind.
 *
 * <p>{@value #MUTATIONS} mutations per device in the default run; {@code -Dsmcd.faults.scale=N} (the
 * {@code faults-long} profile) multiplies them.
 */
@Timeout(600)
class HostilePeerTest {
    private static final int MUTATIONS = 10_000;
    /** Mutations on one connection before the peer closes it and starts the next, unless the victim aborts it first. */
    private static final int MUTATIONS_PER_CONNECTION = 40;
    private static final int GOOD_CONNECTIONS = 3;
    /** Mutations between two checks of the good connections. */
    private static final int CHECK_EVERY = 500;
    private static final int CHECK_BYTES = 64 * 1024;
    private static final int FRESH_ATTEMPTS = 50;

    @ParameterizedTest
    @EnumSource(value = SmcdMode.class, names = {"SMCD_LOOPBACK", "SMCD_COPY"})
    void aPeerScribblingOverSharedMemoryLosesOnlyItsOwnConnections(SmcdMode device) throws Exception {
        int mutations = FaultScale.times(MUTATIONS);
        SplittableRandom random = new SplittableRandom(0x5EED0000L + device.ordinal());
        try (TestDomain test = TestDomain.create()) {
            try (ServerProcess victim = ServerProcess.smcd(test.directory(), "devices=" + device)) {
                EventLoopGroup group = Clients.group(2, test.directory());
                try {
                    List<EchoConnection> good = new ArrayList<>();
                    for (int i = 0; i < GOOD_CONNECTIONS; i++) {
                        good.add(EchoConnection.open(bootstrap(group, device), victim.address()));
                    }
                    int tried = 0;
                    int hostileConnections = 0;
                    int overTcp = 0;
                    int refused = 0;
                    int closedUnderUs = 0;
                    Map<SharedMemoryMutator.Target, Integer> targets = new TreeMap<>();
                    while (tried < mutations) {
                        ChannelFuture connecting = bootstrap(group, device).handler(new Discarding())
                                .connect(victim.address());
                        if (!connecting.await(30, TimeUnit.SECONDS)) {
                            SmcdSocketChannel stuck = (SmcdSocketChannel) connecting.channel();
                            throw new AssertionError("a connect of the hostile peer still pending after 30 s: " + stuck
                                    + " open=" + stuck.isOpen() + " " + stuck.statistics() + "\nvictim:\n"
                                    + victim.stderr());
                        }
                        hostileConnections++;
                        if (!connecting.isSuccess()) {
                            // The peer broke its own view of the link group (e.g. dropped a DMB the victim still
                            // lends it after a forged retired generation): its handshake fails, on its side.
                            refused++;
                            continue;
                        }
                        SmcdSocketChannel hostile = (SmcdSocketChannel) connecting.channel();
                        SmcdConnection connection = SmcdChannelAccess.connection(hostile);
                        if (connection == null) {
                            // The victim declined to lend or join buffers whose headers an earlier round broke.
                            overTcp++;
                            hostile.close().sync();
                            continue;
                        }
                        SharedMemoryMutator mutator = new SharedMemoryMutator(connection, random);
                        SocketChannel socket = SmcdChannelAccess.socket(hostile);
                        for (int i = 0; i < MUTATIONS_PER_CONNECTION && tried < mutations && hostile.isActive(); i++) {
                            mutator.mutate();
                            tried++;
                            ringDoorbell(socket);
                            if (i % 8 == 0) {
                                byte[] bytes = new byte[1 + random.nextInt(2048)];
                                random.nextBytes(bytes);
                                hostile.writeAndFlush(Unpooled.wrappedBuffer(bytes));
                            }
                            // Gives the victim's loop time to look at what changed.
                            LockSupport.parkNanos(20_000);
                            if (tried % CHECK_EVERY == 0) {
                                checkAll(good, random);
                            }
                        }
                        if (!hostile.isActive()) {
                            closedUnderUs++;
                        }
                        mutator.counts().forEach((target, n) -> targets.merge(target, n, Integer::sum));
                        if (!hostile.close().await(30, TimeUnit.SECONDS)) {
                            throw new AssertionError("hostile connection did not close within 30 s: " + hostile);
                        }
                    }
                    checkAll(good, random);
                    assertTrue(refused < hostileConnections / 2, refused + " of " + hostileConnections
                            + " hostile connections failed to connect");
                    EchoConnection fresh = freshConnection(group, device, victim);
                    fresh.check(random, CHECK_BYTES);

                    String stderr = victim.stderr();
                    Map<String, Integer> thrown = ChildErrors.assertOnlyIOExceptions(stderr);
                    System.out.printf(Locale.ROOT, "hostile peer over %s: %d mutations on %d connections (%d over TCP,"
                                    + " %d failed to connect, %d closed under the mutator), targets %s; the victim threw"
                                    + " %s%n", device, tried, hostileConnections, overTcp, refused, closedUnderUs, targets,
                            thrown);
                    assertTrue(thrown.getOrDefault("io.smcd.sim.CdcProtocolException", 0) > 0,
                            "no mutation was ever detected as a protocol violation: the test did not reach the victim");
                    for (EchoConnection check : good) {
                        assertTrue(check.channel.isActive(), "a good connection was closed: " + check.channel);
                        assertEquals(List.of(), check.collector.exceptions(), "on a good connection");
                    }
                    victim.quit();
                } finally {
                    Clients.shutdown(group);
                }
            }
            new EndpointRegistry(test.domain()).sweep();
            assertEquals(List.of(), test.leftoverFiles(), "files left after both processes are gone");
        }
    }

    private static Bootstrap bootstrap(EventLoopGroup group, SmcdMode device) {
        return Clients.smcd(group).option(SmcdChannelOption.SMCD_DEVICES, List.of(device));
    }

    /**
     * An SMC-D connection of the same peer after the attack. The peer may have broken its own side of the link group
     * (buffers it dropped while the victim still lends them to it), so a few attempts may fail before the victim's
     * pools have moved past those buffers; the victim itself must keep accepting.
     */
    private static EchoConnection freshConnection(EventLoopGroup group, SmcdMode device, ServerProcess victim)
            throws InterruptedException {
        List<String> failures = new ArrayList<>();
        for (int attempt = 0; attempt < FRESH_ATTEMPTS; attempt++) {
            try {
                EchoConnection fresh = EchoConnection.open(bootstrap(group, device), victim.address());
                if (fresh.channel.mode() == device) {
                    return fresh;
                }
                failures.add("TCP: " + fresh.channel.fallbackReason());
                fresh.close();
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                // Netty's sync() rethrows the connect's failure as it is, a checked SmcdException included.
                failures.add(e.toString());
            }
        }
        throw new AssertionError("no SMC-D connection after the attack in " + FRESH_ATTEMPTS + " attempts: " + failures);
    }

    /** One doorbell byte, so a sleeping victim looks at its RMB now. */
    private static void ringDoorbell(SocketChannel socket) {
        try {
            socket.write(ByteBuffer.wrap(new byte[1]));
        } catch (IOException e) {
            // The victim closed the connection: the next round sees it inactive.
        }
    }

    private static void checkAll(List<EchoConnection> good, SplittableRandom random) throws InterruptedException {
        for (EchoConnection check : good) {
            check.check(random, CHECK_BYTES);
        }
    }

    /** The hostile peer's own reads: dropped; whatever fails on its side is its own business. */
    private static final class Discarding extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
