package io.smcd.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.smcd.channel.SmcdConnectionStatistics;
import io.smcd.channel.SmcdEventLoopGroup;
import io.smcd.channel.SmcdMode;
import io.smcd.channel.SmcdStatistics;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A Micrometer {@link MeterBinder} for smcd: every counter of {@link SmcdStatistics} as a function counter named
 * {@code smcd.<name>} with the counter's tags ({@code smcd.connections.opened{mode,role}}, {@code smcd.fallbacks{side,
 * reason}}, {@code smcd.bytes{direction}}, ...; {@code smcd.loop.time{state}} in seconds), plus the gauges
 * {@code smcd.connections.open{mode}} and {@code smcd.link.groups}. Micrometer is an optional dependency of the
 * transport: only users of this class need it.
 *
 * <p>Meters read one snapshot, taken at most once a second however many meters a scrape reads. Thread-safe.
 */
public final class SmcdMetrics implements MeterBinder {
    private static final long SNAPSHOT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final double NANOS_PER_SECOND = 1e9;

    /** What the meters hold weakly, as Micrometer's function meters do: they report as long as it is alive. */
    private final Object anchor;
    private final Supplier<SmcdStatistics> source;
    private final Iterable<Tag> tags;
    private volatile Snapshot snapshot;

    /** Meters for the statistics of {@code group}'s domain. */
    public SmcdMetrics(SmcdEventLoopGroup group) {
        this(group, group::statistics, Tags.empty());
    }

    /** Meters for the statistics {@code source} returns, each with {@code tags} added, while {@code source} is alive. */
    public SmcdMetrics(Supplier<SmcdStatistics> source, Iterable<Tag> tags) {
        this(source, source, tags);
    }

    private SmcdMetrics(Object anchor, Supplier<SmcdStatistics> source, Iterable<Tag> tags) {
        this.anchor = Objects.requireNonNull(anchor, "anchor");
        this.source = Objects.requireNonNull(source, "source");
        this.tags = Objects.requireNonNull(tags, "tags");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (SmcdStatistics.Counter counter : latest().counters()) {
            String label = counter.label();
            Tags counterTags = Tags.of(tags);
            for (var tag : counter.tags().entrySet()) {
                counterTags = counterTags.and(tag.getKey(), tag.getValue());
            }
            boolean nanos = counter.name().equals("loop.nanos");
            FunctionCounter.builder(nanos ? "smcd.loop.time" : "smcd." + counter.name(), anchor,
                            a -> nanos ? latest().value(label) / NANOS_PER_SECOND : latest().value(label))
                    .tags(counterTags).baseUnit(nanos ? "seconds" : counter.name().equals("bytes") ? "bytes" : null)
                    .register(registry);
        }
        for (SmcdMode mode : SmcdMode.values()) {
            Gauge.builder("smcd.connections.open", anchor, a -> latest().connections().stream()
                            .map(SmcdConnectionStatistics::mode).filter(mode::equals).count())
                    .tags(Tags.of(tags).and("mode", mode.name().toLowerCase(Locale.ROOT).replace('_', '-')))
                    .register(registry);
        }
        Gauge.builder("smcd.link.groups", anchor, a -> latest().linkGroups().size()).tags(tags).register(registry);
    }

    private SmcdStatistics latest() {
        Snapshot current = snapshot;
        long now = System.nanoTime();
        if (current == null || now - current.takenNanos > SNAPSHOT_NANOS) {
            current = new Snapshot(source.get(), now);
            snapshot = current;
        }
        return current.statistics;
    }

    private record Snapshot(SmcdStatistics statistics, long takenNanos) {
    }
}
