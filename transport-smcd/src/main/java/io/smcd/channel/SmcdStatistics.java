package io.smcd.channel;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What this process did in one SMC-D domain since it opened it, as {@code smcd stats} shows it for the kernel: its
 * counters, its open connections and its link groups. The same counters are published in the domain's statistics file,
 * which {@code smcd-stat} reads. Counters only grow while the domain stays open.
 *
 * <p>Obtained from {@link SmcdEventLoopGroup#statistics()}. Immutable and thread-safe.
 */
public final class SmcdStatistics {
    private final List<Counter> counters;
    private final Map<String, Counter> byLabel;
    private final List<SmcdConnectionStatistics> connections;
    private final List<LinkGroup> linkGroups;

    SmcdStatistics(List<Counter> counters, List<SmcdConnectionStatistics> connections, List<LinkGroup> linkGroups) {
        this.counters = List.copyOf(counters);
        this.byLabel = counters.stream().collect(Collectors.toMap(Counter::label, c -> c, (a, b) -> a, LinkedHashMap::new));
        this.connections = List.copyOf(connections);
        this.linkGroups = List.copyOf(linkGroups);
    }

    /** Every counter, in a fixed order, zero ones included. */
    public List<Counter> counters() {
        return counters;
    }

    /** The value of the counter with {@code label} ({@link Counter#label()}), 0 if there is none. */
    public long value(String label) {
        Counter counter = byLabel.get(label);
        return counter != null ? counter.value() : 0;
    }

    /** The value of counter {@code name} with {@code tags} (alternating keys and values), 0 if there is none. */
    public long value(String name, String... tags) {
        return value(Counter.label(name, tags));
    }

    /** This process's open connections in the domain, SMC-D and TCP. */
    public List<SmcdConnectionStatistics> connections() {
        return connections;
    }

    /** This process's link groups in the domain, one per peer process. */
    public List<LinkGroup> linkGroups() {
        return linkGroups;
    }

    @Override
    public String toString() {
        return counters.stream().filter(c -> c.value() != 0).map(c -> c.label() + "=" + c.value())
                .collect(Collectors.joining(", ", "SmcdStatistics(", ", connections=" + connections.size() + ")"));
    }

    /**
     * One counter: a name such as {@code connections.opened}, tags such as {@code mode=smcd-loopback}, and its value.
     *
     * @param name  the counter's name
     * @param tags  its tags, sorted by key
     * @param value its value
     */
    public record Counter(String name, Map<String, String> tags, long value) {
        /** Copies {@code tags}, sorted by key, so that a label names a counter one way only. */
        public Counter {
            tags = Collections.unmodifiableMap(new TreeMap<>(tags));
        }

        /** {@code name{key=value,...}}, or {@code name} without tags: how the statistics file and the CLI name it. */
        public String label() {
            if (tags.isEmpty()) {
                return name;
            }
            return tags.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(",", name + "{", "}"));
        }

        static String label(String name, String... tags) {
            if (tags.length % 2 != 0) {
                throw new IllegalArgumentException("tags must alternate keys and values: " + List.of(tags));
            }
            Map<String, String> map = new LinkedHashMap<>();
            for (int i = 0; i < tags.length; i += 2) {
                map.put(tags[i], tags[i + 1]);
            }
            return new Counter(name, map, 0).label();
        }
    }

    /**
     * This process's side of the link group with one peer process.
     *
     * @param peerPid      the peer process
     * @param ownDmbs      RMBs of this group: lent, idle or draining
     * @param freeDmbs     idle RMBs ready for the next connection
     * @param drainingDmbs RMBs whose connection ended here while the peer still holds its side
     */
    public record LinkGroup(long peerPid, int ownDmbs, int freeDmbs, int drainingDmbs) {
    }
}
