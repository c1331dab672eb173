package io.smcd.channel;

import io.netty.channel.MultiThreadIoEventLoopGroup;
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
    }

    /** {@code nThreads} threads run by {@code executor} (null: Netty's default), default config. */
    public SmcdEventLoopGroup(int nThreads, Executor executor) {
        this(nThreads, executor, new SmcdIoHandlerConfig());
    }

    /** {@code nThreads} threads run by {@code executor} (null: Netty's default), with {@code config}. */
    public SmcdEventLoopGroup(int nThreads, Executor executor, SmcdIoHandlerConfig config) {
        super(nThreads, executor, SmcdIoHandler.newFactory(config));
    }

    /** {@code nThreads} threads (0: Netty's default) with {@code config}. */
    public SmcdEventLoopGroup(int nThreads, SmcdIoHandlerConfig config) {
        this(nThreads, (Executor) null, config);
    }
}
