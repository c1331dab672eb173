package io.smcd.bench.jmh;

import io.smcd.sim.CdcCursor;
import io.smcd.sim.SmcdException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Microbenchmarks of the CDC hot path: cursor arithmetic, and one 64-byte write plus read through a
 * connection pair in one process and one thread, i.e. the copy and cursor cost without any cross-core
 * traffic. Run: {@code java -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main CdcCursorBench}.
 *
 * <p>Thread-safety: every state is per benchmark thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class CdcCursorBench {
    private static final int RING_SIZE = 1 << 20;

    /** Cursors that move on every call, so the JIT cannot fold the arithmetic away. */
    @State(Scope.Thread)
    public static class Cursors {
        long producer = CdcCursor.of(7, RING_SIZE - 4096);
        long consumer = CdcCursor.of(7, RING_SIZE - 8192);
        int step = 1500;
    }

    /** A connected pair over a private domain in /dev/shm, removed again at the end of the trial. */
    @State(Scope.Thread)
    public static class Pair {
        @Param({"loopback", "copy"})
        public String device;

        private ConnectionPair pair;
        final ByteBuffer src = ByteBuffer.allocateDirect(64);
        final ByteBuffer dst = ByteBuffer.allocateDirect(64);

        @Setup(Level.Trial)
        public void open() throws IOException {
            pair = ConnectionPair.open(device, RING_SIZE);
            for (int i = 0; i < src.capacity(); i++) {
                src.put(i, (byte) (i * 37 + 11));
            }
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            pair.close();
        }
    }

    @Benchmark
    public long cursorAdd(Cursors c) {
        c.producer = CdcCursor.add(RING_SIZE, c.producer, c.step);
        return c.producer;
    }

    @Benchmark
    public long cursorDistance(Cursors c) {
        c.consumer = CdcCursor.add(RING_SIZE, c.consumer, c.step);
        c.producer = CdcCursor.add(RING_SIZE, c.producer, c.step);
        return CdcCursor.distance(RING_SIZE, c.consumer, c.producer);
    }

    /**
     * Reference for {@link #writeRead64}: the two full fences that one write and one read execute (the
     * sender's before it looks for a sleeping peer, the receiver's after publishing its consumer cursor).
     */
    @Benchmark
    public void twoFullFences() {
        VarHandle.fullFence();
        VarHandle.fullFence();
    }

    /** One 64-byte write and the read of the same bytes; the ring never fills, so every call moves 64 bytes. */
    @Benchmark
    public int writeRead64(Pair p) throws SmcdException {
        p.src.clear();
        p.dst.clear();
        int written = p.pair.sender.write(p.src);
        int read = p.pair.receiver.read(p.dst);
        if (written != 64 || read != 64) {
            throw new IllegalStateException("written=" + written + " read=" + read);
        }
        return p.dst.get(63);
    }
}
