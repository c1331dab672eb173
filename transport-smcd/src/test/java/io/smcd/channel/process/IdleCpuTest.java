package io.smcd.channel.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ThreadPerTaskExecutor;
import io.smcd.channel.SmcdEventLoopGroup;
import io.smcd.channel.SmcdIoHandlerConfig;
import io.smcd.channel.SmcdMode;
import io.smcd.channel.SmcdSocketChannel;
import io.smcd.sim.testing.TestDomain;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A hundred idle SMC-D connections between this JVM and a server JVM must cost each process less than a fifth of one
 * core: once the spin budget after the last message is spent, both event loops arm their doorbells and block in the
 * selector. Each process measures its own CPU time (the child reports it over stdout) over the same five seconds.
 * The figures go to stdout; the bound is generous on purpose, an idle group should be near zero.
 */
@Timeout(120)
class IdleCpuTest {
    private static final int CONNECTIONS = 100;
    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final double MAX_CORE_FRACTION = 0.20;

    @Test
    void aHundredIdleSmcdConnectionsUseLittleCpuInEitherProcess() throws Exception {
        try (TestDomain test = TestDomain.create()) {
            try (ServerProcess server = ServerProcess.smcd(test.directory(), "threads=2", "dmb=16384")) {
                List<Thread> loopThreads = new CopyOnWriteArrayList<>();
                ThreadFactory recording = new DefaultThreadFactory("idle-cpu-client") {
                    @Override
                    protected Thread newThread(Runnable r, String name) {
                        Thread thread = super.newThread(r, name);
                        loopThreads.add(thread);
                        return thread;
                    }
                };
                EventLoopGroup group = new SmcdEventLoopGroup(2, new ThreadPerTaskExecutor(recording),
                        new SmcdIoHandlerConfig().setDomainDirectory(test.directory()));
                List<Channel> channels = new ArrayList<>();
                try {
                    List<CollectingHandler> collectors = new ArrayList<>();
                    Bootstrap bootstrap = Clients.smcd(group);
                    for (int i = 0; i < CONNECTIONS; i++) {
                        CollectingHandler collector = new CollectingHandler();
                        collectors.add(collector);
                        channels.add(bootstrap.clone().handler(collector).connect(server.address()).sync().channel());
                    }
                    for (Channel channel : channels) {
                        assertEquals(SmcdMode.SMCD_LOOPBACK, ((SmcdSocketChannel) channel).mode(),
                                "fallback " + ((SmcdSocketChannel) channel).fallbackReason());
                        channel.writeAndFlush(Unpooled.wrappedBuffer(PingExchange.PING));
                    }
                    for (CollectingHandler collector : collectors) {
                        collector.awaitBytes(PingExchange.PING.length, PingExchange.BOUND);
                    }
                    Map<String, Long> stats = server.stats();
                    assertEquals(CONNECTIONS, stats.get(SmcdMode.SMCD_LOOPBACK.name()), "server: " + stats);

                    // Fixed measurement windows, not waits for a condition: let the spin budgets and the JIT settle,
                    // then measure what a quiet period costs.
                    idle(SETTLE_NANOS);
                    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                    long clientCpu0 = processCpuNanos();
                    long loopCpu0 = threadsCpuNanos(threads, loopThreads);
                    long wall0 = System.nanoTime();
                    long[] server0 = server.cpu();
                    idle(WINDOW_NANOS);
                    long[] server1 = server.cpu();
                    long clientCpu1 = processCpuNanos();
                    long loopCpu1 = threadsCpuNanos(threads, loopThreads);
                    long wall1 = System.nanoTime();

                    double client = (clientCpu1 - clientCpu0) / (double) (wall1 - wall0);
                    double loops = (loopCpu1 - loopCpu0) / (double) (wall1 - wall0);
                    double serverFraction = (server1[0] - server0[0]) / (double) (server1[1] - server0[1]);
                    System.out.printf(Locale.ROOT, "idle CPU with %d idle SMC-D connections over %.1f s: client JVM %.2f %%"
                                    + " of a core (its event loops %.2f %%), server JVM %.2f %% of a core%n", CONNECTIONS,
                            (wall1 - wall0) / 1e9, client * 100, loops * 100, serverFraction * 100);
                    assertTrue(client < MAX_CORE_FRACTION, String.format(Locale.ROOT,
                            "client JVM used %.1f %% of a core while idle (event loops %.1f %%)", client * 100, loops * 100));
                    assertTrue(serverFraction < MAX_CORE_FRACTION, String.format(Locale.ROOT,
                            "server JVM used %.1f %% of a core while idle", serverFraction * 100));

                    for (Channel channel : channels) {
                        channel.close().sync();
                    }
                    server.quit();
                } finally {
                    for (Channel channel : channels) {
                        channel.close();
                    }
                    Clients.shutdown(group);
                }
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    private static void idle(long nanos) throws InterruptedException {
        long end = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = end - System.nanoTime()) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long threadsCpuNanos(ThreadMXBean threads, List<Thread> loopThreads) {
        long sum = 0;
        for (Thread thread : loopThreads) {
            long cpu = threads.getThreadCpuTime(thread.getId());
            sum += Math.max(cpu, 0);
        }
        return sum;
    }
}
