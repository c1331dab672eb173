package io.smcd.channel;

import io.netty.util.internal.SystemPropertyUtil;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.smcd.sim.CopyIsmDevice;
import io.smcd.sim.DmbSweeper;
import io.smcd.sim.IsmDevice;
import io.smcd.sim.LoopbackIsmDevice;
import io.smcd.sim.SmcdDomain;
import io.smcd.sim.SmcdException;
import io.smcd.sim.lgr.LinkGroups;
import io.smcd.sim.registry.EndpointRegistry;
import io.smcd.sim.registry.ListenerSegment;
import io.smcd.sim.stats.StatsFile;
import io.smcd.sim.stats.StatsFiles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One open shared-memory domain of this process with its two ISM devices, its link groups and its endpoint registry,
 * shared by every handler and channel that uses the same directory. Reference-counted: the domain closes when the
 * last user releases it; as the domain's last live member it then also sweeps what crashed processes left and removes
 * the directory, so nothing stays behind in /dev/shm.
 *
 * <p>A daemon thread wakes once a second: it sweeps the link groups (drained DMBs back to the pools, idle ones trimmed,
 * dead peers' groups dissolved) and publishes this process's statistics file if they changed. It runs for a few
 * microseconds each time and is gone when the domain closes.
 *
 * <p>Thread-safe: devices, link groups and registry are; {@link #acquire}/{@link #release} synchronise on the
 * process-wide table.
 */
final class SmcdDomainContext {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(SmcdDomainContext.class);
    private static final Map<Path, SmcdDomainContext> OPEN = new HashMap<>();
    private static final long SWEEP_PERIOD_MILLIS = 1000;
    /** The system property limiting the DMBs this process owns at once in a domain (default: loopback-ism's 5000). */
    static final String MAX_DMBS_PROPERTY = "smcd.maxDmbs";
    /** Connections the statistics file lists at most; the rest are counted only. */
    private static final int STATS_SLOTS = 1024;
    private static boolean exitHookInstalled;

    private final Path directory;
    private final SmcdDomain domain;
    private final IsmDevice loopback;
    private final IsmDevice copy;
    private final LinkGroups linkGroups;
    private final EndpointRegistry registry;
    private final ScheduledExecutorService sweeper;
    private final ScheduledFuture<?> sweeping;
    private final DomainStatistics statistics = new DomainStatistics();
    /** Null if the domain refused the file: the counters then exist in this process only. */
    private final StatsFile statsFile;
    /** Listener segments of this process's server channels, removed at JVM exit too. */
    private final Set<ListenerSegment> listeners = ConcurrentHashMap.newKeySet();
    /** Guarded by {@link #OPEN}. */
    private int references;

    private SmcdDomainContext(Path directory, SmcdDomain domain) {
        this.directory = directory;
        this.domain = domain;
        this.loopback = new LoopbackIsmDevice(domain);
        this.copy = new CopyIsmDevice(domain);
        this.linkGroups = new LinkGroups(domain, maxDmbs(), LinkGroups.DEFAULT_LINGER_NANOS);
        this.registry = new EndpointRegistry(domain);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "smcd-lgr-sweeper-" + directory.getFileName());
            t.setDaemon(true);
            return t;
        });
        this.statsFile = createStatsFile(domain);
        this.sweeping = sweeper.scheduleWithFixedDelay(this::housekeeping, 0, SWEEP_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static StatsFile createStatsFile(SmcdDomain domain) {
        try {
            return StatsFile.create(domain, DomainStatistics.labels(), STATS_SLOTS);
        } catch (SmcdException e) {
            logger.debug("smcd: no statistics file in {}: {}", domain.directory(), e.getMessage());
            return null;
        }
    }

    /**
     * Opens the domain at {@code directory}, or shares the one already open, and sweeps what dead processes left in
     * it when this process opens it first.
     *
     * @throws SmcdException with the reason code of an unusable domain (CNFERR, MEM)
     */
    static SmcdDomainContext acquire(Path directory) throws SmcdException {
        Path key = directory.toAbsolutePath().normalize();
        synchronized (OPEN) {
            SmcdDomainContext context = OPEN.get(key);
            if (context == null) {
                context = new SmcdDomainContext(key, SmcdDomain.open(key));
                context.sweepDeadProcesses();
                OPEN.put(key, context);
                installExitHook();
            }
            context.references++;
            return context;
        }
    }

    /** Takes one more reference on a context already held. */
    SmcdDomainContext retain() {
        synchronized (OPEN) {
            if (references <= 0) {
                throw new IllegalStateException("domain context released: " + this);
            }
            references++;
            return this;
        }
    }

    /**
     * Drops one reference; the last one retires every DMB of this process's link groups (no channel holds one any
     * more), removes its listener records, sweeps what dead processes left and leaves the domain.
     */
    void release() {
        synchronized (OPEN) {
            if (references <= 0) {
                throw new IllegalStateException("domain context released too often: " + this);
            }
            if (--references == 0) {
                OPEN.remove(directory);
                sweeping.cancel(false);
                if (statsFile != null) {
                    statsFile.close();
                }
                sweeper.shutdown();
                linkGroups.close();
                listeners.forEach(ListenerSegment::close);
                registry.close();
                sweepDeadProcesses();
                domain.close();
            }
        }
    }

    /**
     * Leaves every open domain, and removes this process's listener records, when the JVM exits without shutting its
     * event loops down, so the last process to leave still removes the domain directory. Application shutdown hooks may
     * run at the same time and close channels later: their release retries the removal. Mappings end with the process.
     */
    private static void installExitHook() {
        if (!exitHookInstalled) {
            exitHookInstalled = true;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                synchronized (OPEN) {
                    OPEN.values().forEach(context -> {
                        context.listeners.forEach(ListenerSegment::close);
                        if (context.statsFile != null) {
                            context.statsFile.close();
                        }
                        context.sweepDeadProcesses();
                        context.domain.close();
                    });
                }
            }, "smcd-domain-exit"));
        }
    }

    /**
     * Removes the records and DMB files of dead processes: at first open, so a crash of an earlier run is cleaned up, and
     * at the last release, so a crashed peer's records do not keep the directory alive after this process leaves.
     */
    private void sweepDeadProcesses() {
        try {
            int records = registry.sweep() + StatsFiles.sweep(directory);
            int dmbs = DmbSweeper.sweep(domain);
            if (records + dmbs > 0) {
                logger.debug("smcd: swept {} records and {} DMBs of dead processes from {}", records, dmbs, directory);
            }
        } catch (IOException e) {
            logger.debug("smcd: cannot sweep {}", directory, e);
        }
    }

    /** The sweeper thread's task: link groups first, so the statistics show their result. */
    private void housekeeping() {
        try {
            linkGroups.sweep();
        } catch (RuntimeException e) {
            logger.warn("smcd: link group sweep of {} failed", directory, e);
        }
        if (statsFile != null) {
            statistics.publish(statsFile, linkGroups);
        }
    }

    /** The {@value #MAX_DMBS_PROPERTY} property, or the default; past it new connections fall back with {@code MAX_DMB}. */
    private static int maxDmbs() {
        // Netty's parser warns about a value that is not a number and returns the default for it.
        int max = SystemPropertyUtil.getInt(MAX_DMBS_PROPERTY, LinkGroups.DEFAULT_MAX_DMBS);
        if (max > 0) {
            return max;
        }
        logger.warn("smcd: ignoring -D{}={}: not a positive number; the limit is {}", MAX_DMBS_PROPERTY, max,
                LinkGroups.DEFAULT_MAX_DMBS);
        return LinkGroups.DEFAULT_MAX_DMBS;
    }

    /** This process's counters in the domain. */
    DomainStatistics statistics() {
        return statistics;
    }

    /** A snapshot of this process's statistics in the domain at {@code directory}; all zero if it is not open here. */
    static SmcdStatistics statisticsOf(Path directory) {
        SmcdDomainContext context;
        synchronized (OPEN) {
            context = OPEN.get(directory.toAbsolutePath().normalize());
        }
        return context != null ? context.statistics.snapshot(context.linkGroups) : DomainStatistics.empty();
    }

    EndpointRegistry registry() {
        return registry;
    }

    /** Where connections of this domain lease their DMBs. */
    LinkGroups linkGroups() {
        return linkGroups;
    }

    /** Publishes a listener segment for {@code bound}; {@link #unregisterListener} removes it. */
    ListenerSegment registerListener(InetSocketAddress bound) throws SmcdException {
        ListenerSegment registration = registry.registerListener(bound);
        listeners.add(registration);
        return registration;
    }

    void unregisterListener(ListenerSegment registration) {
        listeners.remove(registration);
        registration.close();
    }

    /** The devices named by {@code preference}, in that order. */
    List<IsmDevice> devices(List<SmcdMode> preference) {
        List<IsmDevice> devices = new ArrayList<>(preference.size());
        for (SmcdMode mode : preference) {
            devices.add(device(mode));
        }
        return devices;
    }

    IsmDevice device(SmcdMode mode) {
        switch (mode) {
            case SMCD_LOOPBACK: return loopback;
            case SMCD_COPY: return copy;
            default: throw new IllegalArgumentException("mode=" + mode + " is not an ISM device");
        }
    }

    SmcdMode modeOf(IsmDevice device) {
        if (device == loopback) {
            return SmcdMode.SMCD_LOOPBACK;
        }
        if (device == copy) {
            return SmcdMode.SMCD_COPY;
        }
        throw new IllegalArgumentException("device=" + device + " is not one of " + this);
    }

    @Override
    public String toString() {
        return "SmcdDomainContext(" + directory + ")";
    }
}
