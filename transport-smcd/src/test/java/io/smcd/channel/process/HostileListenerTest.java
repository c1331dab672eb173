package io.smcd.channel.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.smcd.channel.SmcdEventLoopGroup;
import io.smcd.channel.SmcdIoHandlerConfig;
import io.smcd.channel.SmcdMode;
import io.smcd.channel.SmcdSocketChannel;
import io.smcd.sim.SharedFiles;
import io.smcd.sim.SharedWords;
import io.smcd.sim.SmcdException;
import io.smcd.sim.SmcdReason;
import io.smcd.sim.registry.EndpointRegistry;
import io.smcd.sim.registry.ListenerSegmentDescriptor;
import io.smcd.sim.testing.TestDomain;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A process of the same user scribbling over a server's listener segment, the one piece of shared memory every client
 * of the domain reads, while clients keep connecting: intent slots' states (every kind, with this and other
 * sequences), their endpoints, offers and answers, and at the end the header. The threat model's claim is tested:
 * this is a denial of SMC-D, not of service. Every client connection must come up (over SMC-D or TCP) and echo byte
 * for byte, the established ones carry on, neither the server (another process) nor the clients (this JVM, which read
 * the same segment) fail with anything but an {@link IOException}, and nothing is left behind.
 *
 * <p>{@value #MUTATIONS} mutations in the default run; {@code -Dsmcd.faults.scale=N} multiplies them.
 */
@Timeout(600)
class HostileListenerTest {
    private static final int MUTATIONS = 10_000;
    /** The last part of the mutations also hits the header, after which clients may no longer find the listener. */
    private static final double HEADER_FROM = 0.9;
    private static final int CLC_TIMEOUT_MILLIS = 300;
    private static final int GOOD_CONNECTIONS = 3;
    private static final int CHECK_BYTES = 16 * 1024;

    @Test
    void aScribbledListenerSegmentDeniesSmcdButNeverService() throws Exception {
        int mutations = FaultScale.times(MUTATIONS);
        SplittableRandom random = new SplittableRandom(0x115EED);
        try (TestDomain test = TestDomain.create()) {
            try (ServerProcess victim = ServerProcess.smcd(test.directory(), "clcTimeout=" + CLC_TIMEOUT_MILLIS)) {
                SmcdEventLoopGroup group = new SmcdEventLoopGroup(2, new SmcdIoHandlerConfig()
                        .setDomainDirectory(test.directory()).setClcTimeoutMillis(CLC_TIMEOUT_MILLIS));
                try {
                    List<EchoConnection> established = new ArrayList<>();
                    for (int i = 0; i < GOOD_CONNECTIONS; i++) {
                        established.add(EchoConnection.open(bootstrap(group), victim.address()));
                    }
                    Path segment = DomainFiles.listenerSegment(test.directory());
                    Scribbler scribbler = new Scribbler(segment, mutations, random.split());
                    Thread thread = new Thread(scribbler, "listener-scribbler");
                    thread.start();
                    Map<SmcdMode, Integer> modes = new TreeMap<>();
                    int connections = 0;
                    int broken = 0;
                    try {
                        while (!scribbler.done.isDone()) {
                            EchoConnection connection;
                            try {
                                connection = EchoConnection.open(bootstrap(group), victim.address());
                            } catch (Exception e) {
                                // Netty's sync() rethrows the connect's failure as it is, a checked one included. The
                                // scribbler hit this connection's own slot after the server claimed it: the client
                                // cannot read the claim and resets the connection, as a forged RST would.
                                if (!(e instanceof SmcdException)) {
                                    throw e;
                                }
                                assertEquals(SmcdReason.SYNCERR, ((SmcdException) e).reasonCode(), "connect: " + e);
                                broken++;
                                continue;
                            }
                            try {
                                connection.check(random, CHECK_BYTES);
                            } catch (AssertionError e) {
                                // A forged claim the server never made (or the answer of one it gave up) let the two
                                // ends disagree on the mode: the connection breaks, closed or with an IOException.
                                assertBrokenWithIOException(connection, e);
                                broken++;
                                continue;
                            }
                            modes.merge(connection.channel.mode(), 1, Integer::sum);
                            connection.close();
                            if (++connections % 50 == 0) {
                                for (EchoConnection check : established) {
                                    check.check(random, CHECK_BYTES);
                                }
                            }
                        }
                    } finally {
                        scribbler.stop.set(true);
                        thread.join(TimeUnit.SECONDS.toMillis(30));
                    }
                    scribbler.done.get();
                    for (EchoConnection check : established) {
                        check.check(random, CHECK_BYTES);
                        assertTrue(check.channel.isActive(), "an established connection was closed: " + check.channel);
                        assertEquals(List.of(), check.collector.exceptions(), "on an established connection");
                        check.close();
                    }
                    Map<String, Integer> thrown = ChildErrors.assertOnlyIOExceptions(victim.stderr());
                    System.out.printf(Locale.ROOT, "hostile listener: %d mutations, %d client connections echoed %s,"
                            + " %d broken; the server threw %s%n", scribbler.tried, connections, modes, broken, thrown);
                    assertTrue(broken < connections, broken + " connections broken against " + connections + " that worked");
                    assertTrue(connections > 0, "no client connection while the segment was scribbled over");
                    assertTrue(modes.getOrDefault(SmcdMode.TCP, 0) + broken > 0,
                            "no client ever fell back or broke: the mutations did not reach the negotiation");
                    victim.quit();
                } finally {
                    Clients.shutdown(group);
                }
            }
            new EndpointRegistry(test.domain()).sweep();
            assertEquals(List.of(), test.leftoverFiles(), "files left after both processes are gone");
        }
    }

    /**
     * The echo failed because the connection closed, by an end of stream or with nothing but IOExceptions: never by a
     * hang or a wrong byte.
     */
    private static void assertBrokenWithIOException(EchoConnection connection, AssertionError failure)
            throws InterruptedException {
        if (connection.channel.isActive()) {
            // Wrong bytes, or none within the bound, on an open connection.
            throw failure;
        }
        connection.channel.closeFuture().await();
        List<Throwable> exceptions = connection.collector.exceptions();
        if (!exceptions.stream().allMatch(IOException.class::isInstance)) {
            throw failure;
        }
    }

    private static Bootstrap bootstrap(SmcdEventLoopGroup group) {
        return Clients.smcd(group).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);
    }

    /** Writes adversarial words into the segment from its own thread until {@code count} are written or it is stopped. */
    private static final class Scribbler implements Runnable {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final AtomicBoolean stop = new AtomicBoolean();
        private final Path segment;
        private final int count;
        private final SplittableRandom random;
        private volatile int tried;

        Scribbler(Path segment, int count, SplittableRandom random) {
            this.segment = segment;
            this.count = count;
            this.random = random;
        }

        @Override
        public void run() {
            try (FileChannel file = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                MappedByteBuffer map = file.map(FileChannel.MapMode.READ_WRITE, 0, file.size());
                try {
                    scribble(map, (int) ((file.size() - ListenerSegmentDescriptor.HEADER_LENGTH) / ListenerSegmentDescriptor.SLOT_LENGTH));
                } finally {
                    SharedFiles.unmap(map);
                }
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        }

        private void scribble(MappedByteBuffer map, int slots) {
            map.order(SharedWords.ORDER);
            while (tried < count && !stop.get()) {
                boolean header = tried >= count * HEADER_FROM && random.nextInt(4) == 0;
                int offset = header ? 8 * random.nextInt(ListenerSegmentDescriptor.HEADER_LENGTH / 8) : slotOffset(map, slots);
                long value = value(map.getLong(offset));
                if (random.nextBoolean()) {
                    map.putLong(offset, value);
                } else {
                    // Torn: the two halves apart, as a reader between them sees it.
                    map.putInt(offset, (int) value);
                    LockSupport.parkNanos(1_000);
                    map.putInt(offset + 4, (int) (value >>> 32));
                }
                tried++;
                LockSupport.parkNanos(50_000);
            }
        }

        /**
         * A word of a slot a client is using right now (not FREE), as an attacker watching the segment picks, half of
         * the time; otherwise of any slot. The state word gets half of the writes.
         */
        private int slotOffset(MappedByteBuffer map, int slots) {
            int slot = random.nextInt(slots);
            if (random.nextBoolean()) {
                for (int probe = 0; probe < slots; probe++) {
                    int busy = (slot + probe) % slots;
                    long state = map.getLong(ListenerSegmentDescriptor.slotOffset(busy) + ListenerSegmentDescriptor.SLOT_STATE);
                    if (ListenerSegmentDescriptor.kind(state) != ListenerSegmentDescriptor.FREE) {
                        slot = busy;
                        break;
                    }
                }
            }
            int word = random.nextBoolean() ? 0 : random.nextInt(ListenerSegmentDescriptor.SLOT_LENGTH / 8);
            return ListenerSegmentDescriptor.slotOffset(slot) + 8 * word;
        }

        /** A state of any kind with this, the next or a random sequence; 0, -1, a flipped bit, or random. */
        private long value(long current) {
            switch (random.nextInt(6)) {
                case 0:
                    return ListenerSegmentDescriptor.state(random.nextInt(8), ListenerSegmentDescriptor.sequence(current));
                case 1:
                    return ListenerSegmentDescriptor.state(random.nextInt(8), ListenerSegmentDescriptor.sequence(current) + 1);
                case 2:
                    return 0;
                case 3:
                    return -1;
                case 4:
                    return current ^ (1L << random.nextInt(64));
                default:
                    return random.nextLong();
            }
        }
    }
}
