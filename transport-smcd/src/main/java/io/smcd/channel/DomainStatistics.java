package io.smcd.channel;

import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.smcd.sim.ConnectionCounters;
import io.smcd.sim.SmcdReason;
import io.smcd.sim.lgr.LinkGroup;
import io.smcd.sim.lgr.LinkGroups;
import io.smcd.sim.stats.ConnectionRecord;
import io.smcd.sim.stats.StatsFile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one process in one domain, and the connections and event loops they are summed over. Events
 * (connections opened and closed, fallbacks, handshake errors) are counted as they happen; traffic and loop time are
 * read from each open connection's and loop's own counters when a snapshot is taken, so the data path never touches a
 * shared word for them. What closed connections and stopped loops counted is kept in totals.
 *
 * <p>Thread-safety: thread-safe; channels and loops report from their event loops, snapshots come from any thread.
 */
final class DomainStatistics {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(DomainStatistics.class);

    /** Indexed by {@link SmcdMode#ordinal()}. */
    private static final SmcdMode[] MODES = SmcdMode.values();
    private static final String[] ROLES = {"client", "server"};
    private static final List<Integer> REASONS = SmcdReason.codes();
    /** Counter names and tags, in publication order; the index constants below point into it. */
    private static final List<SmcdStatistics.Counter> DEFINITIONS = new ArrayList<>();
    private static final int OPENED = define("connections.opened", MODES.length * ROLES.length, i ->
            Map.of("mode", tag(MODES[i / ROLES.length]), "role", ROLES[i % ROLES.length]));
    private static final int CLOSED = define("connections.closed", MODES.length, i -> Map.of("mode", tag(MODES[i])));
    /** One per reason code and one for codes not defined here (a peer may send anything). */
    private static final int FALLBACK_LOCAL = define("fallbacks", REASONS.size() + 1, i ->
            Map.of("side", "local", "reason", reasonTag(i)));
    private static final int FALLBACK_PEER = define("fallbacks", REASONS.size() + 1, i ->
            Map.of("side", "peer", "reason", reasonTag(i)));
    private static final int HANDSHAKE_ERRORS = define("handshake.errors", 1, i -> Map.of());
    private static final int RMBS = define("lgr.rmbs", 2, i -> Map.of("lease", i == 0 ? "reused" : "created"));
    private static final int PEER_DMBS = define("lgr.peer.dmbs", 2, i -> Map.of("lease", i == 0 ? "reused" : "attached"));
    private static final int BYTES = define("bytes", 2, i -> Map.of("direction", i == 0 ? "sent" : "received"));
    private static final int OPERATIONS = define("operations", 2, i -> Map.of("op", i == 0 ? "write" : "read"));
    private static final int RING_FULL = define("ring.full", 2, i -> Map.of("side", i == 0 ? "send" : "receive"));
    private static final int DOORBELLS = define("doorbells", 2, i -> Map.of("direction", i == 0 ? "sent" : "received"));
    private static final int LOOP_NANOS = define("loop.nanos", 2, i -> Map.of("state", i == 0 ? "spinning" : "blocked"));
    private static final int COUNT = DEFINITIONS.size();
    /** Traffic counters: summed over connections. */
    private static final int TRAFFIC = 8;

    private final LongAdder[] events = new LongAdder[COUNT];
    private final LongAdder[] closedTraffic = new LongAdder[TRAFFIC];
    private final LongAdder stoppedSpinNanos = new LongAdder();
    private final LongAdder stoppedBlockedNanos = new LongAdder();
    private final Set<SmcdSocketChannel> open = ConcurrentHashMap.newKeySet();
    private final Set<SmcdIoHandler> loops = ConcurrentHashMap.newKeySet();
    /** The values last handed out: traffic summed while a connection closes may dip, and a counter must not. Guarded by this. */
    private final long[] floor = new long[COUNT];
    /** What the statistics file shows now; confined to the publishing thread. */
    private long[] published;
    private long publishedFingerprint;

    DomainStatistics() {
        for (int i = 0; i < COUNT; i++) {
            events[i] = new LongAdder();
        }
        for (int i = 0; i < TRAFFIC; i++) {
            closedTraffic[i] = new LongAdder();
        }
    }

    private interface Tags {
        Map<String, String> of(int index);
    }

    private static int define(String name, int count, Tags tags) {
        int first = DEFINITIONS.size();
        for (int i = 0; i < count; i++) {
            DEFINITIONS.add(new SmcdStatistics.Counter(name, tags.of(i), 0));
        }
        return first;
    }

    private static String tag(SmcdMode mode) {
        return mode.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private static String reasonTag(int index) {
        return index < REASONS.size() ? SmcdReason.name(REASONS.get(index)) : "other";
    }

    private static int reasonIndex(int code) {
        int index = REASONS.indexOf(code);
        return index >= 0 ? index : REASONS.size();
    }

    /** The counter labels in publication order, as the statistics file carries them. */
    static List<String> labels() {
        List<String> labels = new ArrayList<>(COUNT);
        for (SmcdStatistics.Counter definition : DEFINITIONS) {
            labels.add(definition.label());
        }
        return labels;
    }

    /** {@code channel} became active in its final mode: counted, logged if it fell back, and listed until it closes. */
    void opened(SmcdSocketChannel channel) {
        SmcdMode mode = channel.mode();
        events[OPENED + mode.ordinal() * ROLES.length + (channel.parent() == null ? 0 : 1)].increment();
        SmcdFallbackReason reason = channel.fallbackReason();
        if (!mode.isSmcd() && reason != null) {
            events[FALLBACK_LOCAL + reasonIndex(reason.localCode())].increment();
            if (reason.peerCode() != SmcdReason.NONE) {
                events[FALLBACK_PEER + reasonIndex(reason.peerCode())].increment();
            }
        }
        open.add(channel);
    }

    /** {@code channel}, counted by {@link #opened}, closed: its traffic moves into the totals. */
    void closed(SmcdSocketChannel channel) {
        if (!open.remove(channel)) {
            return;
        }
        events[CLOSED + channel.mode().ordinal()].increment();
        ConnectionCounters counters = channel.counters();
        if (counters != null) {
            long[] traffic = new long[TRAFFIC];
            addTraffic(traffic, counters);
            for (int i = 0; i < TRAFFIC; i++) {
                closedTraffic[i].add(traffic[i]);
            }
        }
    }

    /** A handshake failed past the point of no return: the connection was reset. */
    void handshakeFailed() {
        events[HANDSHAKE_ERRORS].increment();
    }

    void loopStarted(SmcdIoHandler loop) {
        loops.add(loop);
    }

    void loopStopped(SmcdIoHandler loop) {
        if (loops.remove(loop)) {
            stoppedSpinNanos.add(loop.spinNanos());
            stoppedBlockedNanos.add(loop.blockedNanos());
        }
    }

    /** The channels counted open now. */
    Set<SmcdSocketChannel> openChannels() {
        return open;
    }

    /** Every counter now, in label order, never below what an earlier call returned. */
    long[] values(LinkGroups linkGroups) {
        long[] values = new long[COUNT];
        for (int i = 0; i < COUNT; i++) {
            values[i] = events[i].sum();
        }
        values[RMBS] = linkGroups.rmbsReused();
        values[RMBS + 1] = linkGroups.rmbsCreated();
        values[PEER_DMBS] = linkGroups.peerDmbsReused();
        values[PEER_DMBS + 1] = linkGroups.peerDmbsAttached();
        long[] traffic = new long[TRAFFIC];
        for (int i = 0; i < TRAFFIC; i++) {
            traffic[i] = closedTraffic[i].sum();
        }
        for (SmcdSocketChannel channel : open) {
            ConnectionCounters counters = channel.counters();
            if (counters != null) {
                addTraffic(traffic, counters);
            }
        }
        System.arraycopy(traffic, 0, values, BYTES, TRAFFIC);
        long spin = stoppedSpinNanos.sum();
        long blocked = stoppedBlockedNanos.sum();
        for (SmcdIoHandler loop : loops) {
            spin += loop.spinNanos();
            blocked += loop.blockedNanos();
        }
        values[LOOP_NANOS] = spin;
        values[LOOP_NANOS + 1] = blocked;
        synchronized (this) {
            for (int i = 0; i < COUNT; i++) {
                values[i] = Math.max(values[i], floor[i]);
                floor[i] = values[i];
            }
        }
        return values;
    }

    /** Adds the traffic {@code c} counted to {@code into}, in the order of {@link #BYTES} through {@link #DOORBELLS}. */
    private static void addTraffic(long[] into, ConnectionCounters c) {
        into[0] += c.bytesSent();
        into[1] += c.bytesReceived();
        into[2] += c.writes();
        into[3] += c.reads();
        into[4] += c.sendRingFull();
        into[5] += c.receiveRingFull();
        into[6] += c.doorbellsSent();
        into[7] += c.doorbellsReceived();
    }

    /** A snapshot for the Java API. */
    SmcdStatistics snapshot(LinkGroups linkGroups) {
        long[] values = values(linkGroups);
        List<SmcdStatistics.Counter> counters = new ArrayList<>(COUNT);
        for (int i = 0; i < COUNT; i++) {
            SmcdStatistics.Counter definition = DEFINITIONS.get(i);
            counters.add(new SmcdStatistics.Counter(definition.name(), definition.tags(), values[i]));
        }
        List<SmcdConnectionStatistics> connections = new ArrayList<>(open.size());
        for (SmcdSocketChannel channel : open) {
            connections.add(channel.statistics());
        }
        List<SmcdStatistics.LinkGroup> groups = new ArrayList<>();
        for (LinkGroup group : linkGroups.groups()) {
            groups.add(new SmcdStatistics.LinkGroup(group.peer().pid(), group.ownDmbs(), group.freeDmbs(),
                    group.drainingDmbs()));
        }
        return new SmcdStatistics(counters, connections, groups);
    }

    /** An all-zero snapshot, for a domain this process has not opened. */
    static SmcdStatistics empty() {
        return new SmcdStatistics(DEFINITIONS, List.of(), List.of());
    }

    /**
     * Writes the counters and the open connections into {@code file}, unless nothing changed since the last time: the
     * connection table only when some connection opened, closed, shut down a direction or moved a cursor, the
     * counters only when one of them moved. An idle process then costs one pass over its counters and connections.
     */
    void publish(StatsFile file, LinkGroups linkGroups) {
        long[] values = values(linkGroups);
        long fingerprint = connectionsFingerprint();
        boolean connectionsChanged = published == null || fingerprint != publishedFingerprint;
        if (!connectionsChanged && Arrays.equals(values, published)) {
            return;
        }
        try {
            if (connectionsChanged) {
                file.publish(values, connectionRecords(file.slots()), open.size());
            } else {
                // Only counters moved (a loop's time, say): the connection records would be written unchanged.
                file.publishCounters(values);
            }
            published = values;
            publishedFingerprint = fingerprint;
        } catch (RuntimeException e) {
            logger.debug("smcd: cannot publish statistics to {}", file, e);
        }
    }

    /** Changes when a connection opens, closes, shuts a direction down or moves one of its four cursors. */
    private long connectionsFingerprint() {
        long fingerprint = open.size();
        for (SmcdSocketChannel channel : open) {
            fingerprint = mix(fingerprint, System.identityHashCode(channel) * 4L
                    + (channel.isInputShutdown() ? 1 : 0) + (channel.isOutputShutdown() ? 2 : 0));
            ConnectionCounters counters = channel.counters();
            if (counters != null) {
                fingerprint = mix(mix(mix(mix(fingerprint, counters.txProducer()), counters.txConsumer()),
                        counters.rxProducer()), counters.rxConsumer());
            }
        }
        return fingerprint;
    }

    private static long mix(long fingerprint, long word) {
        // Fibonacci hashing: a change in any word changes the result, short of a 64-bit collision.
        return (fingerprint ^ word) * 0x9E3779B97F4A7C15L;
    }

    private List<ConnectionRecord> connectionRecords(int slots) {
        List<ConnectionRecord> records = new ArrayList<>(Math.min(open.size(), slots));
        for (SmcdSocketChannel channel : open) {
            if (records.size() == slots) {
                break;
            }
            records.add(channel.statistics().connection());
        }
        return records;
    }
}
