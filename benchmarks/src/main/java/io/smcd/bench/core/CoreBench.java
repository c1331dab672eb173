package io.smcd.bench.core;

import io.smcd.sim.CopyIsmDevice;
import io.smcd.sim.DmbSegment;
import io.smcd.sim.IsmDevice;
import io.smcd.sim.LoopbackIsmDevice;
import io.smcd.sim.SmcdConnection;
import io.smcd.sim.SmcdDomain;
import org.HdrHistogram.Histogram;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The cross-process ceiling of the SMC-D core: one-way throughput and ping-pong round-trip latency
 * between this JVM and a second one it spawns ({@link CoreBenchPeer}), over the core with the loopback
 * device, with the copy device, and over plain TCP loopback for reference. The SMC-D sides spin and never
 * sleep, so this is what the core allows, not what the transport's event loop delivers.
 *
 * <p>Both JVMs open a private domain in a fresh directory under /dev/shm, which is removed when the run
 * ends, fails or is interrupted; the child JVM is always waited for or killed. Results are printed and
 * written as JSON. Run with {@code --help} for the options.
 *
 * <p>Not thread-safe; {@link #main} runs one benchmark at a time on its thread.
 */
public final class CoreBench {
    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(60);
    /** Slack a measured phase gets beyond its planned length before the peer is declared hung and killed. */
    private static final Duration PHASE_GRACE = Duration.ofSeconds(60);
    private static final long HISTOGRAM_MAX_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final double QUIET_CORES = 0.1;
    private static final long QUIET_SAMPLE_MILLIS = 1000;

    private final BenchOptions options;
    private final CoreBenchReport report;
    /** Read by the shutdown hook's thread too. */
    private volatile PeerProcess peer;
    private CpuSampler cpu;
    private SmcdDomain domain;
    private final Map<Transport, IsmDevice> devices = new LinkedHashMap<>();

    private CoreBench(BenchOptions options) {
        this.options = options;
        this.report = new CoreBenchReport(options, environment(options));
    }

    public static void main(String[] args) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("core-bench: " + e.getMessage());
            System.err.println(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options == null) {
            return;
        }
        CoreBench bench = new CoreBench(options);
        try {
            bench.run();
        } catch (Exception e) {
            System.err.println("core-bench failed: " + e);
            e.printStackTrace();
            if (!bench.report.isEmpty()) {
                System.err.println("results measured before the failure:");
                bench.report.print(System.err);
            }
            System.exit(1);
        }
    }

    private void run() throws Exception {
        Path directory = options.shmBase().toAbsolutePath().resolve("smcd-bench-" + UUID.randomUUID());
        Thread cleanupOnSignal = new Thread(() -> {
            PeerProcess current = peer;
            if (current != null) {
                current.destroyNow();
            }
            deleteRecursively(directory);
        }, "core-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupOnSignal);
        try {
            domain = SmcdDomain.open(directory);
            devices.put(Transport.LOOPBACK, new LoopbackIsmDevice(domain));
            devices.put(Transport.COPY, new CopyIsmDevice(domain));
            peer = PeerProcess.start(options.peerJvmOptions(), CoreBenchPeer.class, List.of("--domain", directory.toString()));
            peer.expect(PeerProtocol.READY, SETUP_TIMEOUT);
            cpu = new CpuSampler(List.of(ProcessHandle.current().pid(), peer.pid()));
            System.out.printf("core-bench: peer JVM pid=%d, domain %s, %d case(s) of %.1f s + %.1f s%n", peer.pid(), directory,
                    options.transports().size() * options.scenarios().size(), options.warmup().toNanos() / 1e9,
                    options.duration().toNanos() / 1e9);
            for (Transport transport : options.transports()) {
                for (Scenario scenario : options.scenarios()) {
                    runCase(transport, scenario);
                }
            }
            peer.send(PeerProtocol.EXIT);
            peer.expect(PeerProtocol.BYE, SETUP_TIMEOUT);
            int exit = peer.awaitExit(SETUP_TIMEOUT);
            if (exit != 0) {
                throw new IOException("peer JVM exited with code " + exit);
            }
        } finally {
            try {
                if (peer != null) {
                    peer.close();
                }
            } finally {
                if (domain != null) {
                    domain.close();
                }
                deleteRecursively(directory);
                try {
                    Runtime.getRuntime().removeShutdownHook(cleanupOnSignal);
                } catch (IllegalStateException shuttingDown) {
                    // The hook is running or about to: it repeats the same idempotent cleanup.
                }
            }
        }
        report.print(System.out);
        report.writeJson(options.output());
        System.out.println("results written to " + options.output().toAbsolutePath());
    }

    private void runCase(Transport transport, Scenario scenario) throws Exception {
        System.out.printf("  %-14s %-10s ...", transport.label(), scenario.option());
        System.out.flush();
        awaitQuietHost();
        try (Link link = connect(transport)) {
            if (scenario == Scenario.THROUGHPUT) {
                ThroughputResult result = measureThroughput(transport, link);
                report.add(result);
                System.out.printf(" %.1f MB/s%n", result.megabytesPerSecond());
            } else {
                LatencyResult result = measurePingPong(transport, link);
                report.add(result);
                System.out.printf(" p50 %.3f us%n", result.p50Us());
            }
        }
        peer.send(PeerProtocol.CLOSE);
        peer.expect(PeerProtocol.CLOSED, SETUP_TIMEOUT);
    }

    /**
     * On a shared host, holds the next case back (bounded by {@code --quiet-wait-s}) until other processes
     * used under {@value #QUIET_CORES} core over the last second. Sampling needs the pause; it waits for
     * nothing else.
     */
    private void awaitQuietHost() throws InterruptedException {
        long deadline = System.nanoTime() + options.quietWait().toNanos();
        while (System.nanoTime() < deadline) {
            CpuSampler.Snapshot before = cpu.sample();
            Thread.sleep(QUIET_SAMPLE_MILLIS);
            double other = CpuSampler.foreignCores(before, cpu.sample());
            if (!(other >= QUIET_CORES)) {
                return;
            }
            System.out.printf(" (other processes use %.2f cores, waiting)", other);
            System.out.flush();
        }
    }

    private Link connect(Transport transport) throws IOException {
        return transport.isSmcd() ? connectSmcd(transport) : connectTcp();
    }

    /**
     * Pairs two DMBs the way the CLC exchange would: this side registers its RMB and names it, the child
     * registers its own and attaches this one, then this side attaches the child's.
     */
    private Link connectSmcd(Transport transport) throws IOException {
        IsmDevice device = devices.get(transport);
        DmbSegment rmb = device.registerDmb(options.ringSize());
        try {
            peer.send(PeerProtocol.SMCD_CONNECT + " " + transport.option() + " " + Long.toHexString(rmb.token()) + " " + options.ringSize());
            String[] accepted = peer.expect(PeerProtocol.SMCD_ACCEPTED, SETUP_TIMEOUT).split(" ");
            DmbSegment peerDmb = device.attachDmb(Long.parseUnsignedLong(accepted[0], 16), Integer.parseInt(accepted[1]));
            return new SmcdLink(transport.label(), new SmcdConnection(device, rmb, peerDmb, SmcdLink.NO_DOORBELL), peer.liveness());
        } catch (IOException | RuntimeException e) {
            device.unregisterDmb(rmb);
            throw e;
        }
    }

    private Link connectTcp() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            peer.send(PeerProtocol.TCP_CONNECT + " " + ((InetSocketAddress) server.getLocalAddress()).getPort());
            // The peer answers once its connect() completed, so the connection already waits in the backlog.
            peer.expect(PeerProtocol.TCP_CONNECTED, SETUP_TIMEOUT);
            SocketChannel channel = server.accept();
            try {
                return new TcpLink(channel);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }
    }

    /**
     * The child streams the pattern; this side reads every byte, checks it, and counts what arrives inside
     * the measured window. Then it stops the child, drains the stream to its end and compares totals.
     */
    private ThroughputResult measureThroughput(Transport transport, Link link) throws Exception {
        long seed = ThreadLocalRandom.current().nextLong();
        StreamPattern pattern = new StreamPattern(options.writeSize(), seed);
        ByteBuffer dst = ByteBuffer.allocateDirect(options.writeSize());
        boolean full = options.fullVerify();
        long offset = 0;
        long compared = 0;
        long windowStartOffset = -1;
        long windowStart = 0;
        long windowEnd;
        List<Double> perSecond = new ArrayList<>();
        long intervalStart = 0;
        long intervalStartOffset = 0;
        CpuSampler.Snapshot cpuBefore = null;
        ScheduledFuture<?> watchdog = peer.killAfter(options.warmup().plus(options.duration()).plus(PHASE_GRACE));
        try {
            peer.send(PeerProtocol.THROUGHPUT + " " + options.writeSize() + " " + seed);
            peer.expect(PeerProtocol.THROUGHPUT_STARTED, SETUP_TIMEOUT);
            long start = System.nanoTime();
            long warmupEnd = start + options.warmup().toNanos();
            long end = warmupEnd + options.duration().toNanos();
            while (true) {
                dst.clear();
                int n = link.read(dst);
                if (n < 0) {
                    throw new EOFException(transport.label() + ": stream ended during the measurement at offset=" + offset);
                }
                compared += pattern.verify(dst, n, offset, full);
                offset += n;
                long now = System.nanoTime();
                if (windowStartOffset < 0) {
                    if (now >= warmupEnd) {
                        windowStart = now;
                        windowStartOffset = offset;
                        intervalStart = now;
                        intervalStartOffset = offset;
                        cpuBefore = cpu.sample();
                    }
                } else {
                    if (now - intervalStart >= INTERVAL_NANOS) {
                        perSecond.add((offset - intervalStartOffset) * 1e3 / (now - intervalStart));
                        intervalStart = now;
                        intervalStartOffset = offset;
                    }
                    if (now >= end) {
                        windowEnd = now;
                        break;
                    }
                }
            }
            double otherCores = CpuSampler.foreignCores(cpuBefore, cpu.sample());
            long windowBytes = offset - windowStartOffset;
            peer.send(PeerProtocol.STOP);
            while (true) {
                dst.clear();
                int n = link.read(dst);
                if (n < 0) {
                    break;
                }
                compared += pattern.verify(dst, n, offset, full);
                offset += n;
            }
            long sent = Long.parseLong(peer.expect(PeerProtocol.THROUGHPUT_DONE, SETUP_TIMEOUT));
            if (sent != offset) {
                throw new IOException(transport.label() + ": peer sent " + sent + " bytes but " + offset + " arrived");
            }
            return new ThroughputResult(transport, windowBytes, windowEnd - windowStart, offset, compared, perSecond, otherCores);
        } finally {
            watchdog.cancel(false);
        }
    }

    /**
     * This side sends a numbered message and waits for its echo, over and over; round trips that start
     * after the warm-up are recorded. A message with {@link PeerProtocol#STOP_SEQUENCE} ends the child's loop.
     */
    private LatencyResult measurePingPong(Transport transport, Link link) throws Exception {
        ByteBuffer message = ByteBuffer.allocateDirect(options.messageSize());
        ByteBuffer echo = ByteBuffer.allocateDirect(options.messageSize());
        Histogram histogram = new Histogram(1, HISTOGRAM_MAX_NANOS, 3);
        long sequence = 0;
        long windowStart = -1;
        long windowEnd;
        CpuSampler.Snapshot cpuBefore = null;
        double otherCores;
        ScheduledFuture<?> watchdog = peer.killAfter(options.warmup().plus(options.duration()).plus(PHASE_GRACE));
        try {
            peer.send(PeerProtocol.PINGPONG + " " + options.messageSize());
            peer.expect(PeerProtocol.PINGPONG_STARTED, SETUP_TIMEOUT);
            long start = System.nanoTime();
            long warmupEnd = start + options.warmup().toNanos();
            long end = warmupEnd + options.duration().toNanos();
            while (true) {
                PeerProtocol.fillMessage(message, sequence);
                echo.clear();
                long sent = System.nanoTime();
                link.writeFully(message);
                link.readFully(echo);
                long received = System.nanoTime();
                checkEcho(transport, message, echo, sequence);
                sequence++;
                if (sent >= warmupEnd) {
                    if (windowStart < 0) {
                        windowStart = sent;
                        cpuBefore = cpu.sample();
                    }
                    histogram.recordValue(Math.min(received - sent, HISTOGRAM_MAX_NANOS));
                    if (received >= end) {
                        windowEnd = received;
                        break;
                    }
                }
            }
            otherCores = CpuSampler.foreignCores(cpuBefore, cpu.sample());
            PeerProtocol.fillMessage(message, PeerProtocol.STOP_SEQUENCE);
            echo.clear();
            link.writeFully(message);
            link.readFully(echo);
            checkEcho(transport, message, echo, PeerProtocol.STOP_SEQUENCE);
            long echoed = Long.parseLong(peer.expect(PeerProtocol.PINGPONG_DONE, SETUP_TIMEOUT));
            if (echoed != sequence + 1) {
                throw new IOException(transport.label() + ": peer echoed " + echoed + " messages, " + (sequence + 1) + " were sent");
            }
        } finally {
            watchdog.cancel(false);
        }
        return LatencyResult.of(transport, histogram, windowEnd - windowStart, otherCores);
    }

    private static void checkEcho(Transport transport, ByteBuffer message, ByteBuffer echo, long sequence) throws IOException {
        message.clear();
        echo.flip();
        if (echo.mismatch(message) >= 0) {
            throw new IOException(transport.label() + ": echo of message " + sequence + " differs from what was sent");
        }
    }

    /** Removes the run's domain directory and whatever is left in it; never anything outside it. */
    private static void deleteRecursively(Path directory) {
        if (!directory.getFileName().toString().startsWith("smcd-bench-")) {
            throw new IllegalArgumentException("directory=" + directory + " is not a core-bench domain");
        }
        for (int attempt = 0; attempt < 3 && Files.exists(directory); attempt++) {
            try (Stream<Path> tree = Files.walk(directory)) {
                for (Path path : tree.sorted((a, b) -> b.getNameCount() - a.getNameCount()).collect(Collectors.toList())) {
                    try {
                        Files.deleteIfExists(path);
                    } catch (DirectoryNotEmptyException e) {
                        // A peer created a file meanwhile: the next attempt takes it.
                    }
                }
            } catch (NoSuchFileException e) {
                // Removed meanwhile by the peer's domain close: nothing left to do.
            } catch (IOException | java.io.UncheckedIOException e) {
                System.err.println("core-bench: cannot remove " + directory + " yet: " + e);
            }
        }
        if (Files.exists(directory)) {
            System.err.println("core-bench: WARNING: " + directory + " could not be removed");
        }
    }

    private static Map<String, String> environment(BenchOptions options) {
        Map<String, String> environment = HostInfo.environment();
        environment.put("shm", options.shmBase().toString());
        return environment;
    }
}
