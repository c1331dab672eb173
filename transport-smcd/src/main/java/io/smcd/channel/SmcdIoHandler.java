package io.smcd.channel;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.ThreadAwareExecutor;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.smcd.sim.SmcdException;
import io.smcd.sim.SmcdReason;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@link IoHandler} of smcd: Netty's {@link NioIoHandler} for every TCP socket (CLC handshakes, doorbells,
 * fallback connections, and plain NIO channels registered on the same group), plus polling of the DMBs of its SMC-D
 * connections.
 *
 * <p>Idle strategy: while SMC-D connections have work, each {@link #run} polls them once and looks at the selector
 * without blocking at most every {@value #SELECT_INTERVAL_MICROS} us, yielding the CPU between idle passes after
 * the first {@value #SPINS_BEFORE_YIELD}. Once nothing arrived for the spin budget, it arms every connection's
 * doorbell (the peer then writes one byte on the TCP socket after publishing), re-checks, and blocks in the selector
 * until a doorbell, a socket event, a task or a timer. A loop without SMC-D connections is exactly a NIO loop: it
 * never spins.
 *
 * <p>The spin budget adapts, as adaptive spin locks do: it starts at {@link SmcdIoHandlerConfig#getSpinNanos()},
 * halves each time it runs out without work, and returns to the configured value when work arrives while spinning or
 * within that value of the last work. A peer that answers in microseconds (ping-pong) keeps it whole; one whose
 * answers take longer than the budget (a gRPC call's processing) drives it to zero, so the loop sleeps at once as NIO
 * does instead of spinning on a core the peer's thread may need and paying the doorbell anyway.
 *
 * <p>It counts the time it spends spinning idle and blocked while it has SMC-D connections, for the domain's statistics.
 *
 * <p>Thread-safety: as every {@link IoHandler}, confined to its event loop thread, except {@link #wakeup()} and the
 * two time counters.
 */
public final class SmcdIoHandler implements IoHandler {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(SmcdIoHandler.class);
    private static final long SELECT_INTERVAL_MICROS = 20;
    private static final long SELECT_INTERVAL_NANOS = TimeUnit.MICROSECONDS.toNanos(SELECT_INTERVAL_MICROS);
    /** Idle passes spun before each further idle pass yields the CPU, as Aeron's backoff idle strategy does. */
    private static final int SPINS_BEFORE_YIELD = 100;
    /** A timer due sooner than this is awaited without blocking in the selector (see awaitTimer). */
    private static final long SUB_MILLISECOND_TIMER_NANOS = TimeUnit.MICROSECONDS.toNanos(900);
    /** A halved spin budget below this is no spin at all. */
    private static final long MIN_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(1);
    private static final ThreadLocal<SmcdIoHandler> CURRENT = new ThreadLocal<>();
    private static final SmcdIoHandle[] NO_HANDLES = new SmcdIoHandle[0];
    private static final VarHandle SPIN_NANOS;
    private static final VarHandle BLOCKED_NANOS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            SPIN_NANOS = lookup.findVarHandle(SmcdIoHandler.class, "spinNanos", long.class);
            BLOCKED_NANOS = lookup.findVarHandle(SmcdIoHandler.class, "blockedNanos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final IoHandler nio;
    private final SmcdIoHandlerConfig config;
    private final List<SmcdIoHandle> handles = new ArrayList<>();
    private SmcdIoHandle[] polled = NO_HANDLES;
    private boolean handlesChanged;
    private long lastWorkNanos;
    private long lastSelectNanos;
    /** When a poll last found work; unlike {@link #lastWorkNanos}, not moved by waking up. */
    private long lastBusyNanos;
    private long spinBudgetNanos;
    private boolean sleptSinceWork;
    private NonBlockingContext nonBlocking;
    /** When the last pass spun without work, or 0: the time to the next pass is spinning. */
    private long idleSpinSinceNanos;
    /** Written by this loop only, opaque, read by statistics from any thread; so is {@link #blockedNanos}. */
    private long spinNanos;
    private long blockedNanos;
    private boolean preparedToDestroy;
    private int idlePasses;

    private SmcdDomainContext domain;
    private SmcdFallbackReason unavailable;

    private SmcdIoHandler(IoHandler nio, SmcdIoHandlerConfig config) {
        this.nio = nio;
        this.config = config;
        this.spinBudgetNanos = config.getSpinNanos();
    }

    /** A factory for {@code new MultiThreadIoEventLoopGroup(SmcdIoHandler.newFactory())}, with the default config. */
    public static IoHandlerFactory newFactory() {
        return newFactory(new SmcdIoHandlerConfig());
    }

    /** A factory of handlers with {@code config}, copied now. */
    public static IoHandlerFactory newFactory(SmcdIoHandlerConfig config) {
        SmcdIoHandlerConfig copy = new SmcdIoHandlerConfig(config);
        IoHandlerFactory nioFactory = NioIoHandler.newFactory();
        return new IoHandlerFactory() {
            @Override
            public IoHandler newHandler(ThreadAwareExecutor executor) {
                return new SmcdIoHandler(nioFactory.newHandler(executor), copy);
            }
        };
    }

    /** The handler running on the calling thread, or null if it is not an smcd event loop thread. */
    static SmcdIoHandler current() {
        return CURRENT.get();
    }

    @Override
    public void initialize() {
        nio.initialize();
        CURRENT.set(this);
        try {
            domain = SmcdDomainContext.acquire(config.resolvedDomainDirectory());
            domain.statistics().loopStarted(this);
        } catch (SmcdException e) {
            unavailable = new SmcdFallbackReason(e.reasonCode(), SmcdReason.NONE, "SMC-D domain unusable: " + e.getMessage());
            logger.debug("smcd: event loop runs TCP only: {}", unavailable, e);
        }
    }

    /** The domain this loop's channels negotiate in, or null if it is unusable ({@link #unavailableReason()}). */
    SmcdDomainContext domain() {
        return domain;
    }

    /** Why {@link #domain()} is null. */
    SmcdFallbackReason unavailableReason() {
        return unavailable;
    }

    SmcdIoHandlerConfig config() {
        return config;
    }

    /** Nanoseconds spent spinning idle with SMC-D connections to poll. Any thread. */
    long spinNanos() {
        return (long) SPIN_NANOS.getOpaque(this);
    }

    /** Nanoseconds spent blocked in the selector with SMC-D connections armed. Any thread. */
    long blockedNanos() {
        return (long) BLOCKED_NANOS.getOpaque(this);
    }

    /** Starts polling {@code handle}; from now on its work is found without a selector event. */
    void add(SmcdIoHandle handle) {
        handles.add(handle);
        handlesChanged = true;
        lastWorkNanos = System.nanoTime();
    }

    void remove(SmcdIoHandle handle) {
        if (handles.remove(handle)) {
            handlesChanged = true;
        }
    }

    @Override
    public int run(IoHandlerContext context) {
        if (handles.isEmpty() && polled.length == 0) {
            idleSpinSinceNanos = 0;
            return subMillisecondTimerDue(context) ? awaitTimer(context) : nio.run(context);
        }
        int work = pollHandles();
        long now = System.nanoTime();
        if (idleSpinSinceNanos != 0) {
            SPIN_NANOS.setOpaque(this, spinNanos + (now - idleSpinSinceNanos));
            idleSpinSinceNanos = 0;
        }
        if (work > 0) {
            if (!sleptSinceWork || now - lastBusyNanos <= config.getSpinNanos()) {
                // Spinning caught this work, or would have: spin whole again.
                spinBudgetNanos = config.getSpinNanos();
            }
            lastWorkNanos = lastBusyNanos = now;
            sleptSinceWork = false;
            idlePasses = 0;
        }
        boolean canBlock = context.canBlock();
        if (!canBlock || now - lastWorkNanos < spinBudgetNanos) {
            if (!canBlock || now - lastSelectNanos >= SELECT_INTERVAL_NANOS) {
                lastSelectNanos = now;
                work += nio.run(nonBlocking(context));
            }
            if (work == 0) {
                idleSpinSinceNanos = now;
                if (++idlePasses > SPINS_BEFORE_YIELD) {
                    // On a busy host the peer's thread may be waiting for this very core: let it run.
                    Thread.yield();
                }
            }
            return work;
        }
        if (!prepareToSleep()) {
            wakeUp();
            lastWorkNanos = now;
            return work;
        }
        if (!sleptSinceWork) {
            // The first sleep since the last work: the whole budget was spun for nothing.
            long halved = spinBudgetNanos / 2;
            spinBudgetNanos = halved < MIN_SPIN_NANOS ? 0 : halved;
            sleptSinceWork = true;
        }
        try {
            work += nio.run(context);
        } finally {
            wakeUp();
            lastWorkNanos = lastSelectNanos = System.nanoTime();
            BLOCKED_NANOS.setOpaque(this, blockedNanos + (lastWorkNanos - now));
        }
        return work;
    }

    private static boolean subMillisecondTimerDue(IoHandlerContext context) {
        return context.canBlock() && context.delayNanos(System.nanoTime()) < SUB_MILLISECOND_TIMER_NANOS;
    }

    /**
     * NIO's selector sleeps whole milliseconds and would round a timer due in microseconds (an accepted connection's
     * 20 us re-check for its client's intent) up to 1 ms: such a timer is awaited by looking at the selector, yielding
     * the core between looks (the thread the timer waits for may be queued on it).
     */
    private int awaitTimer(IoHandlerContext context) {
        int work = nio.run(nonBlocking(context));
        if (work == 0) {
            Thread.yield();
        }
        return work;
    }

    private IoHandlerContext nonBlocking(IoHandlerContext context) {
        if (nonBlocking == null || nonBlocking.context != context) {
            nonBlocking = new NonBlockingContext(context);
        }
        return nonBlocking;
    }

    private int pollHandles() {
        if (handlesChanged) {
            polled = handles.toArray(NO_HANDLES);
            handlesChanged = false;
        }
        int work = 0;
        for (SmcdIoHandle handle : polled) {
            work += handle.poll();
        }
        return work;
    }

    private boolean prepareToSleep() {
        if (handlesChanged) {
            return false;
        }
        for (SmcdIoHandle handle : polled) {
            if (!handle.prepareToSleep()) {
                return false;
            }
        }
        return true;
    }

    private void wakeUp() {
        for (SmcdIoHandle handle : polled) {
            handle.wakeUp();
        }
    }

    @Override
    public void prepareToDestroy() {
        preparedToDestroy = true;
        nio.prepareToDestroy();
    }

    @Override
    public void destroy() {
        try {
            if (!preparedToDestroy) {
                // Netty 4.2's loop skips prepareToDestroy when the shutdown request lands after its isShuttingDown()
                // check and confirmShutdown() then ends the loop at once (quiet period 0): the channels would stay
                // open, with their sockets, DMB leases and domain references. Close them here instead.
                prepareToDestroy();
            }
            nio.destroy();
        } finally {
            CURRENT.remove();
            if (domain != null) {
                domain.statistics().loopStopped(this);
                domain.release();
                domain = null;
            }
        }
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
        return nio.register(handle);
    }

    @Override
    public void wakeup() {
        nio.wakeup();
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return nio.isCompatible(handleType);
    }

    /** The loop's context with blocking forbidden: the selector is only looked at while SMC-D work may arrive. */
    private static final class NonBlockingContext implements IoHandlerContext {
        private final IoHandlerContext context;

        NonBlockingContext(IoHandlerContext context) {
            this.context = context;
        }

        @Override
        public boolean canBlock() {
            return false;
        }

        @Override
        public long delayNanos(long currentTimeNanos) {
            return context.delayNanos(currentTimeNanos);
        }

        @Override
        public long deadlineNanos() {
            return context.deadlineNanos();
        }

        @Override
        public void reportActiveIoTime(long activeNanos) {
            context.reportActiveIoTime(activeNanos);
        }

        @Override
        public boolean shouldReportActiveIoTime() {
            return context.shouldReportActiveIoTime();
        }
    }
}
