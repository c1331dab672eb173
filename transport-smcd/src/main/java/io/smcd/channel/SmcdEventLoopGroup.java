package io.smcd.channel;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * The drop-in replacement for {@code NioEventLoopGroup}: a {@link MultiThreadIoEventLoopGroup} of
 * {@link SmcdIoHandler}s. It runs {@link SmcdSocketChannel} and {@link SmcdServerSocketChannel}, and also Netty's NIO
 * channels ({@code NioSocketChannel}, {@code NioServerSocketChannel}, {@code NioDatagramChannel}).
 *
 * <p>Thread-safe, as every event loop group.
 */
public final class SmcdEventLoopGroup extends MultiThreadIoEventLoopGroup {
    private final Path domainDirectory;

    /** Netty's default number of threads (twice the cores), default config. */
    public SmcdEventLoopGroup() {
        this(0);
    }

    /** {@code nThreads} threads (0: Netty's default), default config. */
    public SmcdEventLoopGroup(int nThreads) {
        this(nThreads, (Executor) null);
    }

    /** {@code nThreads} threads from {@code threadFactory}, default config. */
    public SmcdEventLoopGroup(int nThreads, ThreadFactory threadFactory) {
        super(nThreads, threadFactory, SmcdIoHandler.newFactory());
        this.domainDirectory = new SmcdIoHandlerConfig().resolvedDomainDirectory();
    }

    /** {@code nThreads} threads run by {@code executor} (null: Netty's default), default config. */
    public SmcdEventLoopGroup(int nThreads, Executor executor) {
        this(nThreads, executor, new SmcdIoHandlerConfig());
    }

    /** {@code nThreads} threads run by {@code executor} (null: Netty's default), with {@code config}. */
    public SmcdEventLoopGroup(int nThreads, Executor executor, SmcdIoHandlerConfig config) {
        super(nThreads, executor, SmcdIoHandler.newFactory(config));
        this.domainDirectory = config.resolvedDomainDirectory();
    }

    /** {@code nThreads} threads (0: Netty's default) with {@code config}. */
    public SmcdEventLoopGroup(int nThreads, SmcdIoHandlerConfig config) {
        this(nThreads, (Executor) null, config);
    }

    /**
     * This process's statistics in the domain the group's loops use: counters, open connections and link groups. The
     * domain is shared by every group of the process with the same directory, so are its figures; all zero until a loop
     * opened it.
     */
    public SmcdStatistics statistics() {
        return SmcdDomainContext.statisticsOf(domainDirectory);
    }
}
