package io.smcd.bench.suite;

import io.smcd.bench.common.Cli;
import io.smcd.bench.common.CpuSampler;
import io.smcd.bench.common.HostInfo;
import io.smcd.bench.common.Json;
import io.smcd.bench.common.PeerProcess;
import io.smcd.bench.common.ProcMemory;
import io.smcd.bench.common.RunDirectory;
import io.smcd.bench.common.ShutdownGuard;
import io.smcd.bench.common.Words;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The cross-process benchmark suite, the benchmarks jar's main entry: for every transport ({@link SuiteTransport})
 * it starts a server JVM ({@link SuiteServer}) and a client JVM ({@link SuiteClient}), runs every scenario
 * ({@link SuiteScenario}) between them, and reports each figure with its ratio to Netty NIO TCP measured in the same
 * run: tables on stdout, {@code suite.json}, {@code suite.csv} and {@code suite.svg} in the results folder.
 *
 * <p>smcd runs in a private domain {@code <shm>/smcd-suite-<pid>-<random>} and Unix sockets live in a private folder
 * under the temp directory; both are removed when the run ends, fails or is interrupted (a shutdown hook kills the
 * children first), by the children if this JVM is killed outright, and by the next run if all of them were.
 *
 * <p>Not thread-safe; {@link #main} runs the suite on its thread.
 */
public final class BenchSuite {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration GRACE = Duration.ofSeconds(90);
    /** Other processes below this many cores count as a quiet host. */
    private static final double QUIET_CORES = 0.25;
    /** Other processes above this many cores during a scenario get a note in its result. */
    private static final double NOISY_CORES = 0.2;
    private static final double SETTLED_CORES = 0.1;
    private static final int SETTLE_SECONDS = 10;
    /** The idle scenario's memory figures, per connection: both JVMs' RSS growth and the host's Shmem growth. */
    private static final List<String> MEMORY_METRICS = List.of("clientRssKibPerConn", "serverRssKibPerConn", "shmemKibPerConn");
    /** The run's folders: {@code smcd-suite-<parent pid>-<random>}. */
    static final RunDirectory RUN_DIRECTORY = new RunDirectory("smcd-suite-");

    private final SuiteOptions options;
    private final SuiteReport report;
    private final Path domain;
    private final Path sockets;
    /** Read by the shutdown hook's thread too. */
    private volatile PeerProcess server;
    private volatile PeerProcess client;

    private BenchSuite(SuiteOptions options, Path domain, Path sockets) {
        this.options = options;
        this.domain = domain;
        this.sockets = sockets;
        this.report = new SuiteReport(options, HostInfo.environment(), Instant.now());
    }

    public static void main(String[] args) {
        SuiteOptions options = Cli.parseOrExit("smcd suite", SuiteOptions::parse, args);
        Path shm = options.run.shmBase().toAbsolutePath();
        Path tmp = Paths.get(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        Path domain = RUN_DIRECTORY.newPath(shm);
        BenchSuite suite = new BenchSuite(options, domain, tmp.resolve(domain.getFileName()));
        Cli.runOrExit("smcd suite", () -> {
            RUN_DIRECTORY.sweepStale(shm);
            RUN_DIRECTORY.sweepStale(tmp);
            suite.run();
        }, suite.report);
        System.exit(0);
    }

    private void run() throws Exception {
        Path shm = options.run.shmBase();
        Set<String> shmBefore = listing(shm);
        try (ShutdownGuard cleanup = new ShutdownGuard("smcd-suite-cleanup", this::cleanUp)) {
            Files.createDirectories(sockets.getParent());
            Files.createDirectory(sockets, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            System.out.printf(Locale.ROOT, "smcd suite (%s): %d transport(s) x %d scenario(s) x %d round(s), about %d s; domain %s%n",
                    options.full ? "full" : "quick", options.transports().size(), options.scenarios().size(), options.rounds,
                    options.estimate().toSeconds(), domain);
            for (int round = 1; round <= options.rounds; round++) {
                if (options.rounds > 1) {
                    System.out.printf(Locale.ROOT, "round %d of %d%n", round, options.rounds);
                }
                for (SuiteTransport transport : options.transports()) {
                    runTransport(transport);
                }
            }
        }
        Set<String> shmAfter = listing(shm);
        shmAfter.removeAll(shmBefore);
        // Only what this run could have made: its own domain, or the default domain of this user (Smcd's probe).
        String defaultDomain = "smcd-" + System.getProperty("user.name");
        shmAfter.removeIf(name -> !RUN_DIRECTORY.isOwn(name) && !name.equals(defaultDomain));
        report.environment("shmLeftAsFound", Boolean.toString(shmAfter.isEmpty()));
        report.print(System.out);
        if (!shmAfter.isEmpty()) {
            System.out.println("WARNING: new entries in " + shm + " after the run: " + shmAfter);
        }
        List<Path> written = report.write(options.outputDir);
        System.out.println("results written to " + written.stream().map(p -> p.toAbsolutePath().toString()).collect(Collectors.joining(", ")));
    }

    /** Kills whatever child still runs and removes the run's folders. Idempotent; safe from the shutdown hook. */
    private void cleanUp() {
        PeerProcess s = server;
        PeerProcess c = client;
        if (c != null) {
            c.destroyNow();
        }
        if (s != null) {
            s.destroyNow();
        }
        boolean removed = RUN_DIRECTORY.delete(domain) & RUN_DIRECTORY.delete(sockets);
        if (!removed) {
            System.err.println("smcd suite: WARNING: could not remove " + domain + " or " + sockets);
        }
    }

    private void runTransport(SuiteTransport transport) {
        String unavailable = transport.unavailableReason();
        if (unavailable != null) {
            System.out.printf(Locale.ROOT, "  %-15s skipped: %s%n", transport.option(), unavailable);
            for (SuiteScenario scenario : options.scenarios()) {
                report.add(SuiteResult.unsupported(transport, scenario, unavailable));
            }
            return;
        }
        List<SuiteScenario> pending = new ArrayList<>(options.scenarios());
        awaitQuietHost(transport);
        try {
            List<String> common = List.of("--transport", transport.option(), "--domain", domain.toString(), "--sockets", sockets.toString(),
                    "--dmb", Integer.toString(options.dmbBytes()), "--spin", Long.toString(options.spinNanos()));
            List<String> serverArgs = new ArrayList<>(common);
            serverArgs.addAll(List.of("--threads", "1"));
            server = PeerProcess.start(jvmOptions(), SuiteServer.class, serverArgs);
            Map<String, String> addresses = Words.pairs(List.of(server.expect(PeerProcess.READY, START_TIMEOUT).split(" ")));
            List<String> clientArgs = new ArrayList<>(common);
            clientArgs.addAll(List.of("--echo", addresses.get("echo"), "--data", addresses.get("data")));
            client = PeerProcess.start(jvmOptions(), SuiteClient.class, clientArgs);
            client.expect(PeerProcess.READY, START_TIMEOUT);
            double warmupSeconds = options.jvmWarmup().toNanos() / 1e9;
            client.send(SuiteProtocol.WARMUP + " " + warmupSeconds);
            String warmed = client.expect(SuiteProtocol.WARMED, options.jvmWarmup().plus(GRACE));
            if (!warmed.equals("ok") && !warmed.equals("skipped")) {
                System.out.printf(Locale.ROOT, "  %-15s warm-up %s%n", transport.option(), warmed);
            }
            while (!pending.isEmpty()) {
                SuiteScenario scenario = pending.get(0);
                rehearse(transport, scenario);
                awaitSettledJit(transport);
                System.out.printf(Locale.ROOT, "  %-15s %-21s ", transport.option(), scenario.option());
                System.out.flush();
                CpuSampler cpu = new CpuSampler(List.of(ProcessHandle.current().pid(), server.pid(), client.pid()));
                CpuSampler.Snapshot before = cpu.sample();
                SuiteResult result = withOtherCpu(runScenario(transport, scenario, options.run.warmup(), options.run.duration()),
                        CpuSampler.foreignCores(before, cpu.sample()));
                pending.remove(0);
                report.add(result);
                System.out.println(describe(result));
                if (!server.isAlive() || !client.isAlive()) {
                    throw new IOException((server.isAlive() ? "client" : "server") + " JVM died");
                }
            }
            client.send(PeerProcess.EXIT);
            server.send(PeerProcess.EXIT);
            client.expect(PeerProcess.BYE, START_TIMEOUT);
            server.expect(PeerProcess.BYE, START_TIMEOUT);
        } catch (IOException | RuntimeException e) {
            System.out.println();
            System.out.printf(Locale.ROOT, "  %-15s FAILED: %s%n", transport.option(), e.getMessage());
            for (SuiteScenario scenario : pending) {
                report.add(SuiteResult.failed(transport, scenario, SuiteClient.describe(e)));
            }
        } finally {
            if (client != null) {
                client.close();
                client = null;
            }
            if (server != null) {
                server.close();
                server = null;
            }
        }
    }

    /**
     * Runs {@code scenario} once unrecorded, for as long as its warm-up, before it is measured. A scenario's first
     * connections take code paths that deoptimise methods compiled for the previous one; recompiling them while two
     * event loops spin starves the compiler threads on a two-core host, and ping-pong then measured doorbell wake-ups
     * (a p50 equal to NIO's) for a second or more. Rehearsed, the recompilation happens here, and
     * {@link #awaitSettledJit} lets it finish while the loops are idle.
     */
    private void rehearse(SuiteTransport transport, SuiteScenario scenario) throws IOException {
        if (scenario != SuiteScenario.IDLE_CPU) {
            runScenario(transport, scenario, Duration.ZERO, options.run.warmup());
        }
    }

    private SuiteResult runScenario(SuiteTransport transport, SuiteScenario scenario, Duration warmup, Duration duration)
            throws IOException {
        Duration planned = warmup.plus(duration);
        String timing = String.format(Locale.ROOT, "warmup=%s duration=%s", Json.number(warmup.toNanos() / 1e9),
                Json.number(duration.toNanos() / 1e9));
        switch (scenario) {
            case IDLE_CPU:
                return idleCpu(transport);
            case HTTP:
            case HTTP_DEFAULT_THREADS:
            case GRPC_UNARY:
            case GRPC_STREAM:
            case REACTOR_HTTP: {
                int threads = scenario == SuiteScenario.HTTP_DEFAULT_THREADS ? 0 : options.httpThreads;
                server.send(SuiteProtocol.SERVER_START + " " + scenario.option() + " " + threads);
                String[] started = server.expect(SuiteProtocol.SERVER_STARTED, START_TIMEOUT).split(" ", 2);
                if (started[0].equals("none")) {
                    return SuiteResult.unsupported(transport, scenario, started.length > 1 ? started[1] : "no server");
                }
                client.send(String.format(Locale.ROOT, "%s %s %s address=%s connections=%d threads=%d server-threads=%s", SuiteProtocol.RUN,
                        scenario.option(), timing, started[0], options.httpConnections, threads, started[1]));
                try {
                    return SuiteResult.fromLine(client.expect(SuiteProtocol.RESULT, planned.plus(planned).plus(GRACE)));
                } finally {
                    server.send(SuiteProtocol.SERVER_STOP);
                    server.expect(SuiteProtocol.SERVER_STOPPED, START_TIMEOUT);
                }
            }
            case WAKE:
                client.send(String.format(Locale.ROOT, "%s %s %s gap-ms=%s", SuiteProtocol.RUN, scenario.option(), timing,
                        Json.number(options.wakeGap().toNanos() / 1e6)));
                // Each sample also waits the gap: allow for twice the window.
                planned = planned.plus(duration);
                break;
            case CONNRATE:
                client.send(String.format(Locale.ROOT, "%s %s %s parallel=%d", SuiteProtocol.RUN, scenario.option(), timing,
                        options.connParallel));
                break;
            default:
                client.send(String.format(Locale.ROOT, "%s %s %s verify-full=%s", SuiteProtocol.RUN, scenario.option(), timing,
                        options.run.fullVerify()));
        }
        return SuiteResult.fromLine(client.expect(SuiteProtocol.RESULT, planned.plus(GRACE)));
    }

    /**
     * The client opens the idle connections (each has echoed once, so it is fully set up), both JVMs settle, then the
     * CPU time both use over the window is read from /proc. What the connections hold is the growth of both JVMs'
     * resident sets and of the host's shared memory (the DMBs' tmpfs pages) from before they were opened to after the
     * settling, per connection.
     */
    private SuiteResult idleCpu(SuiteTransport transport) throws IOException {
        double[] memoryBefore = memoryKib();
        client.send(SuiteProtocol.IDLE_OPEN + " " + options.idleConnections);
        String opened = client.expect(SuiteProtocol.IDLE_OPENED, GRACE);
        try {
            Thread.sleep(500);
            double[] memoryAfter = memoryKib();
            Map<String, ProcessCpu.ThreadTime> client0 = ProcessCpu.threads(client.pid());
            Map<String, ProcessCpu.ThreadTime> server0 = ProcessCpu.threads(server.pid());
            long start = System.nanoTime();
            Thread.sleep(options.idle().toMillis());
            Map<String, ProcessCpu.ThreadTime> client1 = ProcessCpu.threads(client.pid());
            Map<String, ProcessCpu.ThreadTime> server1 = ProcessCpu.threads(server.pid());
            long elapsed = System.nanoTime() - start;
            if (client1.isEmpty() || server1.isEmpty()) {
                return SuiteResult.unsupported(transport, SuiteScenario.IDLE_CPU, "per-thread CPU times not readable from /proc");
            }
            double clientPercent = ProcessCpu.used(client0, client1) * 100.0 / elapsed;
            double serverPercent = ProcessCpu.used(server0, server1) * 100.0 / elapsed;
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("clientPercent", clientPercent);
            metrics.put("serverPercent", serverPercent);
            for (int i = 0; i < MEMORY_METRICS.size(); i++) {
                metrics.put(MEMORY_METRICS.get(i), (memoryAfter[i] - memoryBefore[i]) / options.idleConnections);
            }
            metrics.put("connections", (double) options.idleConnections);
            metrics.put("seconds", elapsed / 1e9);
            String note = String.format(Locale.ROOT, "%d connections over %.1f s; busiest threads: client %s, server %s",
                    options.idleConnections, elapsed / 1e9, ProcessCpu.busiest(client0, client1, elapsed),
                    ProcessCpu.busiest(server0, server1, elapsed));
            SuiteResult result = SuiteResult.ok(transport, SuiteScenario.IDLE_CPU, clientPercent + serverPercent, metrics, note);
            return opened.equals("ok") ? result : result.asFallback(opened);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during the idle window", e);
        } finally {
            client.send(SuiteProtocol.IDLE_CLOSE);
            client.expect(SuiteProtocol.IDLE_CLOSED, GRACE);
        }
    }

    /** Client RSS, server RSS and the host's Shmem in KiB, in the order of {@link #MEMORY_METRICS}. */
    private double[] memoryKib() {
        return new double[] {ProcMemory.rssKib(client.pid()), ProcMemory.rssKib(server.pid()), ProcMemory.shmemKib()};
    }

    /**
     * Holds the next transport back (at most {@code --quiet-wait-s}) until other processes used under
     * {@value #QUIET_CORES} core over the last half second ({@link CpuSampler#awaitQuiet}).
     */
    private void awaitQuietHost(SuiteTransport transport) {
        try {
            CpuSampler.awaitQuiet(List.of(ProcessHandle.current().pid()), QUIET_CORES, Duration.ofMillis(500), options.run.quietWait(),
                    other -> System.out.printf(Locale.ROOT, "  %-15s waiting up to %d s for other processes to go below %.2f cores"
                                    + " (now %.2f)%n",
                            transport.option(), options.run.quietWait().toSeconds(), QUIET_CORES, other));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits, up to {@value #SETTLE_SECONDS} s, until the JIT compiler threads of the two children together use less
     * than {@value #SETTLED_CORES} core over a quarter second, before each scenario: right after the warm-up (or a
     * scenario with code paths of its own) they still compile, and on a two-core machine a compiler thread shares a core
     * with a measured loop.
     */
    private void awaitSettledJit(SuiteTransport transport) {
        try {
            CpuSampler.awaitCompilersIdle(List.of(server.pid(), client.pid()), SETTLED_CORES, Duration.ofMillis(250),
                    Duration.ofSeconds(SETTLE_SECONDS), busy -> System.out.printf(Locale.ROOT,
                            "  %-15s waiting up to %d s for the JIT compilers to settle (now %.2f cores)%n",
                            transport.option(), SETTLE_SECONDS, busy));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code result} with the cores other processes used while it ran, noted when high enough to disturb it. */
    private static SuiteResult withOtherCpu(SuiteResult result, double otherCores) {
        if (result.status() == SuiteResult.Status.UNSUPPORTED) {
            return result;
        }
        Map<String, Double> metrics = new LinkedHashMap<>(result.metrics());
        metrics.put("otherCpuCores", otherCores);
        String note = result.note();
        if (otherCores >= NOISY_CORES) {
            note = (note.isEmpty() ? "" : note + "; ") + String.format(Locale.ROOT, "other processes used %.2f cores meanwhile", otherCores);
        }
        return new SuiteResult(result.transport(), result.scenario(), result.status(), result.value(), metrics, note);
    }

    private List<String> jvmOptions() {
        List<String> jvm = new ArrayList<>(options.jvmOptions());
        // Anything that opens the default domain (the Smcd availability probe) uses the private one instead.
        jvm.add("-Dsmcd.domain=" + domain);
        return jvm;
    }

    private static String describe(SuiteResult result) {
        String value = Targets.format(result.value()) + " " + result.scenario().unit();
        switch (result.status()) {
            case OK:
                return value;
            case FALLBACK:
                return value + " FALLBACK: " + result.note();
            default:
                return result.status() + ": " + result.note();
        }
    }

    private static Set<String> listing(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            return new TreeSet<>();
        }
    }
}
