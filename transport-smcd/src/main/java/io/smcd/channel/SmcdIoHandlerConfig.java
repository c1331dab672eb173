package io.smcd.channel;

import io.smcd.sim.SmcdDomain;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Settings of an {@link SmcdIoHandler}, in the style of Netty's {@code IoUringIoHandlerConfig}: set them, then pass
 * the config to {@link SmcdIoHandler#newFactory(SmcdIoHandlerConfig)} or {@link SmcdEventLoopGroup}, which copy it.
 *
 * <p>Not thread-safe; a handler never sees later changes.
 */
public final class SmcdIoHandlerConfig {
    /** Default {@link #setSpinNanos spin budget}: long enough to span the gap between messages of a busy exchange. */
    public static final long DEFAULT_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    /** Default {@link #setClcTimeoutMillis CLC timeout}: the kernel's {@code SMC_CLC_WAIT_TIME}. */
    public static final int DEFAULT_CLC_TIMEOUT_MILLIS = 2000;

    private Path domainDirectory;
    private long spinNanos = DEFAULT_SPIN_NANOS;
    private int clcTimeoutMillis = DEFAULT_CLC_TIMEOUT_MILLIS;

    /** A config with the defaults: the {@linkplain SmcdDomain#defaultDirectory() default domain}, 50 us spin, 2 s CLC timeout. */
    public SmcdIoHandlerConfig() {
    }

    SmcdIoHandlerConfig(SmcdIoHandlerConfig other) {
        this.domainDirectory = other.domainDirectory;
        this.spinNanos = other.spinNanos;
        this.clcTimeoutMillis = other.clcTimeoutMillis;
    }

    /**
     * The shared-memory domain: a directory on a tmpfs that both ends of a connection must see. Null (the default)
     * means {@link SmcdDomain#defaultDirectory()}, resolved when the handler starts.
     */
    public Path getDomainDirectory() {
        return domainDirectory;
    }

    public SmcdIoHandlerConfig setDomainDirectory(Path domainDirectory) {
        this.domainDirectory = domainDirectory;
        return this;
    }

    /**
     * How long, at most, an event loop with SMC-D connections keeps polling their DMBs after its last work before it
     * arms their doorbells and blocks in the selector; the loop spins less while spinning keeps running out without
     * work (see {@link SmcdIoHandler}). Zero blocks at once (lowest CPU, a doorbell per message).
     */
    public long getSpinNanos() {
        return spinNanos;
    }

    public SmcdIoHandlerConfig setSpinNanos(long spinNanos) {
        if (spinNanos < 0) {
            throw new IllegalArgumentException("spinNanos=" + spinNanos + " must be >= 0");
        }
        this.spinNanos = spinNanos;
        return this;
    }

    /**
     * How long one side waits for the next CLC message before it gives up and continues over TCP (reason
     * {@code TIMEOUT_CLC}). It only matters when a peer that registered for SMC-D stops answering.
     */
    public int getClcTimeoutMillis() {
        return clcTimeoutMillis;
    }

    public SmcdIoHandlerConfig setClcTimeoutMillis(int clcTimeoutMillis) {
        if (clcTimeoutMillis <= 0) {
            throw new IllegalArgumentException("clcTimeoutMillis=" + clcTimeoutMillis + " must be > 0");
        }
        this.clcTimeoutMillis = clcTimeoutMillis;
        return this;
    }

    Path resolvedDomainDirectory() {
        return Objects.requireNonNullElseGet(domainDirectory, SmcdDomain::defaultDirectory);
    }

    @Override
    public String toString() {
        return "SmcdIoHandlerConfig(domain=" + (domainDirectory == null ? "default" : domainDirectory)
                + ", spinNanos=" + spinNanos + ", clcTimeoutMillis=" + clcTimeoutMillis + ")";
    }
}
