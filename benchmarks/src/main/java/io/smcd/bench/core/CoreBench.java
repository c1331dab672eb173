package io.smcd.bench.core;

import io.smcd.bench.common.Cli;
import io.smcd.bench.common.CpuSampler;
import io.smcd.bench.common.PeerProcess;
import io.smcd.bench.common.Percentiles;
import io.smcd.bench.common.PingMessage;
import io.smcd.bench.common.RunDirectory;
import io.smcd.bench.common.ShutdownGuard;
import io.smcd.bench.common.StreamPattern;
import io.smcd.sim.ProcessIdentity;
import org.HdrHistogram.Histogram;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

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
    /** Other processes below this many cores count as a quiet host: both cores spin for the benchmark. */
    private static final double QUIET_CORES = 0.1;
    private static final RunDirectory RUN_DIRECTORY = new RunDirectory("smcd-bench-");

    private final BenchOptions options;
    private final CoreBenchReport report;
    /** Read by the shutdown hook's thread too. */
    private volatile PeerProcess peer;
    private CpuSampler cpu;
    private SmcdCore core;

    private CoreBench(BenchOptions options) {
        this.options = options;
        this.report = new CoreBenchReport(options);
    }

    public static void main(String[] args) {
        CoreBench bench = new CoreBench(Cli.parseOrExit("core-bench", BenchOptions::parse, args));
        Cli.runOrExit("core-bench", bench::run, bench.report);
    }

    private void run() throws Exception {
        Path shm = options.run.shmBase().toAbsolutePath();
        RUN_DIRECTORY.sweepStale(shm);
        Path directory = RUN_DIRECTORY.newPath(shm);
        try (ShutdownGuard cleanup = new ShutdownGuard("core-bench-cleanup", () -> cleanUp(directory))) {
            core = SmcdCore.open(directory);
            peer = PeerProcess.start(options.peerJvmOptions(), CoreBenchPeer.class, List.of("--domain", directory.toString()));
            peer.expect(PeerProcess.READY, SETUP_TIMEOUT);
            cpu = new CpuSampler(List.of(ProcessHandle.current().pid(), peer.pid()));
            System.out.printf("core-bench: peer JVM pid=%d, domain %s, %d case(s) of %.1f s + %.1f s%n", peer.pid(), directory,
                    options.transports().size() * options.scenarios().size(), options.run.warmup().toNanos() / 1e9,
                    options.run.duration().toNanos() / 1e9);
            for (Transport transport : options.transports()) {
                for (Scenario scenario : options.scenarios()) {
                    runCase(transport, scenario);
                }
            }
            peer.send(PeerProcess.EXIT);
            peer.expect(PeerProcess.BYE, SETUP_TIMEOUT);
            int exit = peer.awaitExit(SETUP_TIMEOUT);
            if (exit != 0) {
                throw new IOException("peer JVM exited with code " + exit);
            }
        }
        report.print(System.out);
        report.writeJson(options.output);
        System.out.println("results written to " + options.output.toAbsolutePath());
    }

    /** Ends the peer, closes the domain and removes its folder. Idempotent; safe from the shutdown hook. */
    private void cleanUp(Path directory) {
        PeerProcess current = peer;
        if (current != null) {
            current.close();
        }
        SmcdCore open = core;
        if (open != null) {
            open.close();
        }
        if (!RUN_DIRECTORY.delete(directory)) {
            System.err.println("core-bench: WARNING: " + directory + " could not be removed");
        }
    }

    private void runCase(Transport transport, Scenario scenario) throws Exception {
        System.out.printf("  %-14s %-10s ...", transport.label(), scenario.option());
        System.out.flush();
        CpuSampler.awaitQuiet(List.of(ProcessHandle.current().pid(), peer.pid()), QUIET_CORES, Duration.ofSeconds(1),
                options.run.quietWait(), other -> System.out.printf(" (other processes use %.2f cores, waiting)", other));
        try (Link link = transport.isSmcd() ? connectSmcd(transport) : connectTcp()) {
            CoreResult result = scenario == Scenario.THROUGHPUT ? measureThroughput(transport, link) : measurePingPong(transport, link);
            report.add(result);
            System.out.printf(scenario == Scenario.THROUGHPUT ? " %.1f MB/s%n" : " p50 %.3f us%n", result.value());
        }
        peer.send(PeerProtocol.CLOSE);
        peer.expect(PeerProtocol.CLOSED, SETUP_TIMEOUT);
    }

    /** Pairs this side's RMB with the child's ({@link SmcdCore}): this side names its RMB first. */
    private Link connectSmcd(Transport transport) throws IOException {
        ProcessIdentity child = ProcessIdentity.of(peer.pid()).orElseThrow(() -> new IOException("peer JVM is gone"));
        SmcdCore.HalfConnection half = core.register(transport == Transport.COPY, options.ringSize(), child);
        try {
            peer.send(PeerProtocol.SMCD_CONNECT + " " + transport.option() + " " + half.name() + " " + options.ringSize());
            String peerName = peer.expect(PeerProtocol.SMCD_ACCEPTED, SETUP_TIMEOUT);
            return new SmcdLink(transport.label(), half.join(peerName), peer.liveness());
        } catch (IOException | RuntimeException e) {
            half.abandon();
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
    private CoreResult measureThroughput(Transport transport, Link link) throws Exception {
        long seed = ThreadLocalRandom.current().nextLong();
        StreamPattern pattern = new StreamPattern(options.writeSize(), seed);
        ByteBuffer dst = ByteBuffer.allocateDirect(options.writeSize());
        boolean full = options.run.fullVerify();
        long offset = 0;
        long compared = 0;
        long windowStartOffset = -1;
        long windowStart = 0;
        long windowEnd;
        List<Double> perSecond = new ArrayList<>();
        long intervalStart = 0;
        long intervalStartOffset = 0;
        CpuSampler.Snapshot cpuBefore = null;
        ScheduledFuture<?> watchdog = peer.killAfter(options.run.warmup().plus(options.run.duration()).plus(PHASE_GRACE));
        try {
            peer.send(PeerProtocol.THROUGHPUT + " " + options.writeSize() + " " + seed);
            peer.expect(PeerProtocol.THROUGHPUT_STARTED, SETUP_TIMEOUT);
            long start = System.nanoTime();
            long warmupEnd = start + options.run.warmup().toNanos();
            long end = warmupEnd + options.run.duration().toNanos();
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
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("megabytesPerSecond", windowBytes * 1e3 / (windowEnd - windowStart));
            metrics.put("gigabitsPerSecond", windowBytes * 8.0 / (windowEnd - windowStart));
            metrics.put("bytesMeasured", (double) windowBytes);
            metrics.put("secondsMeasured", (windowEnd - windowStart) / 1e9);
            metrics.put("bytesTotal", (double) offset);
            metrics.put("bytesCompared", (double) compared);
            return new CoreResult(transport, Scenario.THROUGHPUT, metrics, perSecond, otherCores);
        } finally {
            watchdog.cancel(false);
        }
    }

    /**
     * This side sends a numbered message and waits for its echo, over and over; round trips that start
     * after the warm-up are recorded. A message with {@link PingMessage#STOP_SEQUENCE} ends the child's loop.
     */
    private CoreResult measurePingPong(Transport transport, Link link) throws Exception {
        ByteBuffer message = ByteBuffer.allocateDirect(options.messageBytes);
        ByteBuffer echo = ByteBuffer.allocateDirect(options.messageBytes);
        Histogram histogram = new Histogram(1, HISTOGRAM_MAX_NANOS, 3);
        long sequence = 0;
        long windowStart = -1;
        long windowEnd;
        CpuSampler.Snapshot cpuBefore = null;
        double otherCores;
        ScheduledFuture<?> watchdog = peer.killAfter(options.run.warmup().plus(options.run.duration()).plus(PHASE_GRACE));
        try {
            peer.send(PeerProtocol.PINGPONG + " " + options.messageBytes);
            peer.expect(PeerProtocol.PINGPONG_STARTED, SETUP_TIMEOUT);
            long start = System.nanoTime();
            long warmupEnd = start + options.run.warmup().toNanos();
            long end = warmupEnd + options.run.duration().toNanos();
            while (true) {
                PingMessage.fill(message, sequence);
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
            PingMessage.fill(message, PingMessage.STOP_SEQUENCE);
            echo.clear();
            link.writeFully(message);
            link.readFully(echo);
            checkEcho(transport, message, echo, PingMessage.STOP_SEQUENCE);
            long echoed = Long.parseLong(peer.expect(PeerProtocol.PINGPONG_DONE, SETUP_TIMEOUT));
            if (echoed != sequence + 1) {
                throw new IOException(transport.label() + ": peer echoed " + echoed + " messages, " + (sequence + 1) + " were sent");
            }
        } finally {
            watchdog.cancel(false);
        }
        Map<String, Double> metrics = Percentiles.micros(histogram);
        metrics.put("secondsMeasured", (windowEnd - windowStart) / 1e9);
        return new CoreResult(transport, Scenario.PINGPONG, metrics, List.of(), otherCores);
    }

    private static void checkEcho(Transport transport, ByteBuffer message, ByteBuffer echo, long sequence) throws IOException {
        message.clear();
        echo.flip();
        if (echo.mismatch(message) >= 0) {
            throw new IOException(transport.label() + ": echo of message " + sequence + " differs from what was sent");
        }
    }
}
