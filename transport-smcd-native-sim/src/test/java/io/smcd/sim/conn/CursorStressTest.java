package io.smcd.sim.conn;

import io.smcd.sim.DmbSize;
import io.smcd.sim.SmcdConnection;
import io.smcd.sim.testing.TestDomain;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Hammers the cursors from several threads in one JVM: a writer thread and a reader thread for each
 * direction at once (the read side and the write side of one connection on different threads, as the
 * connection allows), with random write and read sizes over a 16 KiB ring so that cursors wrap tens of
 * thousands of times, and every byte checked against the sender's pseudo-random stream. A second test
 * lets each side sleep on its doorbell whenever it has nothing to do, and fails on a lost wake-up.
 * Throughput goes to stdout; nothing asserts on speed.
 */
@Timeout(300)
class CursorStressTest {
    private static final int RING = DmbSize.MIN_SIZE;
    private static final long BYTES_PER_DIRECTION = 512L << 20;
    private static final long SLEEPING_BYTES_PER_DIRECTION = 128L << 20;
    private static final Duration BOUND = Duration.ofSeconds(120);
    /**
     * Longer than any plausible scheduling pause: a park that lasts this long without a ring is a lost
     * wake-up, not a ring still on its way.
     */
    private static final long PARK_NANOS = Duration.ofSeconds(10).toNanos();

    static Stream<String> devices() {
        return Devices.ALL.stream();
    }

    @ParameterizedTest
    @MethodSource("devices")
    void aWriterAndAReaderThreadPerDirectionMoveEveryByteIntact(String device) throws Exception {
        try (TestDomain test = TestDomain.create()) {
            try (ConnectionPair pair = ConnectionPair.open(test.domain(), device, RING)) {
                StreamSender aToB = new StreamSender(pair.a, BYTES_PER_DIRECTION, 0x5EED_AB, SizeSequence.random(1, 3 * RING));
                StreamReceiver atB = new StreamReceiver(pair.b, BYTES_PER_DIRECTION, 0x5EED_AB, true, SizeSequence.random(2, 2 * RING));
                StreamSender bToA = new StreamSender(pair.b, BYTES_PER_DIRECTION, 0x5EED_BA, SizeSequence.random(3, 3 * RING));
                StreamReceiver atA = new StreamReceiver(pair.a, BYTES_PER_DIRECTION, 0x5EED_BA, true, SizeSequence.random(4, 2 * RING));
                List<Worker> workers = List.of(
                        new Worker("A writes", aToB::step, aToB::isDone, () -> aToB + " " + pair),
                        new Worker("B reads", atB::step, atB::isDone, () -> atB + " " + pair),
                        new Worker("B writes", bToA::step, bToA::isDone, () -> bToA + " " + pair),
                        new Worker("A reads", atA::step, atA::isDone, () -> atA + " " + pair));
                long nanos = runAll(workers, new AtomicBoolean());
                assertEquals(BYTES_PER_DIRECTION, atB.received());
                assertEquals(BYTES_PER_DIRECTION, atA.received());
                assertEquals(aToB.crc(), atB.crc());
                assertEquals(bToA.crc(), atA.crc());
                report("in-process stress, " + device + ", ring " + RING + ", 2 threads per direction", nanos);
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    static Stream<Arguments> devicesAndDirections() {
        List<Arguments> cases = new ArrayList<>();
        for (String device : Devices.ALL) {
            cases.add(Arguments.of(device, true));
            cases.add(Arguments.of(device, false));
        }
        return cases.stream();
    }

    /**
     * With data both ways a side is usually woken by the peer's data; one way, the writer is only ever
     * woken by the reader's consumer-cursor ring, so that path is tested on its own.
     */
    @ParameterizedTest(name = "{0}, both directions: {1}")
    @MethodSource("devicesAndDirections")
    void sidesThatSleepOnTheirDoorbellWheneverIdleNeverLoseAWakeUp(String device, boolean bothDirections) throws Exception {
        long fromB = bothDirections ? SLEEPING_BYTES_PER_DIRECTION : 0;
        try (TestDomain test = TestDomain.create()) {
            try (ConnectionPair pair = ConnectionPair.open(test.domain(), device, RING)) {
                AtomicBoolean stop = new AtomicBoolean();
                SleepingSide a = new SleepingSide("A", pair.a, pair.ringsOfA, stop,
                        new StreamSender(pair.a, SLEEPING_BYTES_PER_DIRECTION, 0xA5, SizeSequence.random(5, 3 * RING)),
                        new StreamReceiver(pair.a, fromB, 0x5A, true, SizeSequence.random(6, 2 * RING)));
                SleepingSide b = new SleepingSide("B", pair.b, pair.ringsOfB, stop,
                        new StreamSender(pair.b, fromB, 0x5A, SizeSequence.random(7, 3 * RING)),
                        new StreamReceiver(pair.b, SLEEPING_BYTES_PER_DIRECTION, 0xA5, true, SizeSequence.random(8, 2 * RING)));
                List<Worker> workers = List.of(
                        new Worker("A sleeps when idle", a::step, a::isDone, () -> a + " " + pair),
                        new Worker("B sleeps when idle", b::step, b::isDone, () -> b + " " + pair));
                AtomicReference<Thread> threadOfA = new AtomicReference<>();
                AtomicReference<Thread> threadOfB = new AtomicReference<>();
                pair.onRingOfA(() -> LockSupport.unpark(threadOfA.get()));
                pair.onRingOfB(() -> LockSupport.unpark(threadOfB.get()));
                long nanos = runAll(workers, stop, threadOfA, threadOfB);
                assertEquals(a.sender.crc(), b.receiver.crc());
                assertEquals(b.sender.crc(), a.receiver.crc());
                report("in-process, sleeping on doorbells, " + device + ", ring " + RING + ", one thread per side, "
                        + (bothDirections ? "both directions" : "one direction")
                        + " (A slept " + a.sleeps + " times, rung " + pair.ringsOfA.get() + "; B slept " + b.sleeps
                        + " times, rung " + pair.ringsOfB.get() + ")", nanos, SLEEPING_BYTES_PER_DIRECTION);
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    private static void report(String what, long nanos) {
        report(what, nanos, BYTES_PER_DIRECTION);
    }

    private static void report(String what, long nanos, long bytesPerDirection) {
        double seconds = nanos / 1e9;
        System.out.printf(Locale.ROOT, "%s: %d MiB per direction in %.2f s, %.0f MiB/s per direction%n",
                what, bytesPerDirection >> 20, seconds, (bytesPerDirection >> 20) / seconds);
    }

    /**
     * Runs every worker on its own thread until all are done, the first fails (which sets {@code stop}), or
     * {@link #BOUND} passes; {@code threads} receive the threads in order, for doorbells that unpark them.
     * Returns the elapsed time.
     */
    @SafeVarargs
    private static long runAll(List<Worker> workers, AtomicBoolean stop, AtomicReference<Thread>... threads) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Deadline deadline = Deadline.in(BOUND);
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < workers.size(); i++) {
            Worker worker = workers.get(i);
            Thread thread = new Thread(() -> worker.run(deadline, stop, failure, started), worker.name);
            thread.setDaemon(true);
            if (i < threads.length) {
                threads[i].set(thread);
            }
            started.add(thread);
        }
        long start = System.nanoTime();
        started.forEach(Thread::start);
        for (Thread thread : started) {
            thread.join(BOUND.plusSeconds(30).toMillis());
            if (thread.isAlive()) {
                stop.set(true);
                throw new AssertionError(thread.getName() + " is still running after " + BOUND);
            }
        }
        long nanos = System.nanoTime() - start;
        Throwable first = failure.get();
        if (first instanceof Error) {
            throw (Error) first;
        }
        if (first != null) {
            throw new AssertionError(first);
        }
        return nanos;
    }

    @FunctionalInterface
    private interface Step {
        boolean step() throws Exception;
    }

    /** One thread's loop: step until done, spinning then yielding while nothing moves. */
    private static final class Worker {
        private final String name;
        private final Step step;
        private final BooleanSupplier done;
        private final Supplier<String> state;

        Worker(String name, Step step, BooleanSupplier done, Supplier<String> state) {
            this.name = name;
            this.step = step;
            this.done = done;
            this.state = state;
        }

        /** On failure, records it, tells the others to stop and unparks them, so none waits for a dead peer. */
        void run(Deadline deadline, AtomicBoolean stop, AtomicReference<Throwable> failure, List<Thread> all) {
            try {
                int idle = 0;
                while (!done.getAsBoolean() && !stop.get()) {
                    if (step.step()) {
                        idle = 0;
                        continue;
                    }
                    Deadline.idle(++idle);
                    if ((idle & 1023) == 0) {
                        deadline.check(() -> name + ": " + state.get());
                    }
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, new AssertionError(name + " failed: " + t.getMessage(), t));
                stop.set(true);
                all.forEach(LockSupport::unpark);
            }
        }
    }

    /**
     * One side run as an event loop that parks instead of spinning: when neither its write nor its read
     * moves, it arms its doorbell, parks unless work arrived meanwhile, and disarms. A park that times out
     * with no ring since arming is a lost wake-up: the peer streams until it is done, and once it is done
     * everything it sent is already published, so nothing legitimately keeps a side waiting that long.
     */
    private static final class SleepingSide {
        final StreamSender sender;
        final StreamReceiver receiver;
        private final String name;
        private final SmcdConnection connection;
        private final AtomicInteger rings;
        private final AtomicBoolean stop;
        private final Deadline deadline = Deadline.in(BOUND);
        int sleeps;

        SleepingSide(String name, SmcdConnection connection, AtomicInteger rings, AtomicBoolean stop, StreamSender sender,
                     StreamReceiver receiver) {
            this.name = name;
            this.stop = stop;
            this.connection = connection;
            this.rings = rings;
            this.sender = sender;
            this.receiver = receiver;
        }

        boolean isDone() {
            return sender.isDone() && receiver.isDone();
        }

        /** Always reports progress: the waiting happens here, bounded by the park timeout and the deadline. */
        boolean step() throws Exception {
            boolean wrote = sender.step();
            boolean read = receiver.step();
            if (wrote || read || isDone()) {
                return true;
            }
            // Read before arming: a ring that lands between arming and parking must count.
            int ringsBefore = rings.get();
            if (connection.prepareToSleep()) {
                sleeps++;
                long parked = System.nanoTime();
                LockSupport.parkNanos(PARK_NANOS);
                // Both sides stream until each is done, so a side never has reason to wait this long for its peer.
                if (rings.get() == ringsBefore && System.nanoTime() - parked >= PARK_NANOS && !stop.get()) {
                    throw new AssertionError(name + " lost a wake-up: parked " + PARK_NANOS / 1_000_000
                            + " ms without a ring (hasPendingWork=" + connection.hasPendingWork() + "): " + this);
                }
            }
            connection.wakeUp();
            deadline.check(this::toString);
            return true;
        }

        @Override
        public String toString() {
            return name + "(" + sender + ", " + receiver + ", slept " + sleeps + ", rung " + rings.get() + ", " + connection + ")";
        }
    }
}
