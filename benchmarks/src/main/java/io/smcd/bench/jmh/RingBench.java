package io.smcd.bench.jmh;

import io.smcd.sim.SmcdException;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The data ring of an {@link SmcdConnection} pair over a private domain in /dev/shm:
 * <ul>
 *   <li>{@code writeRead}: one thread writes {@code size} bytes and reads them back, the copy and cursor cost alone;</li>
 *   <li>{@code pipe}: a writer thread and a reader thread on the two ends at once, the cross-core cost (cursor
 *       cache lines moving between cores). Neither ever blocks: a call that finds the ring full or empty moves 0
 *       bytes, and the {@code written}/{@code read} counters report the bytes moved per second.</li>
 * </ul>
 * Run: {@code java -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main RingBench}.
 *
 * <p>Thread-safety: a pair is written by one thread and read by one other, as across two processes.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class RingBench {
    /** A connected pair with a 1 MiB ring each way, removed again at the end of the trial. */
    @State(Scope.Group)
    public static class Pair {
        @Param({"loopback", "copy"})
        public String device;

        @Param({"64", "16384", "65536"})
        public int size;

        private ConnectionPair pair;

        @Setup(Level.Trial)
        public void open() throws IOException {
            pair = ConnectionPair.open(device, 1 << 20);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            pair.close();
        }
    }

    /** Each thread's own buffers; a source filled with a pattern so every write moves real bytes. */
    @State(Scope.Thread)
    public static class Buffers {
        ByteBuffer src;
        ByteBuffer dst;

        @Setup(Level.Trial)
        public void allocate(Pair pair) {
            src = ByteBuffer.allocateDirect(pair.size);
            dst = ByteBuffer.allocateDirect(pair.size);
            for (int i = 0; i < pair.size; i++) {
                src.put(i, (byte) (i * 31 + 7));
            }
        }
    }

    /** Bytes moved by each side, reported per second next to the call rate. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Moved {
        public long written;
        public long read;

        @Setup(Level.Iteration)
        public void reset() {
            written = 0;
            read = 0;
        }
    }

    @Benchmark
    @Group("writeRead")
    @GroupThreads(1)
    public int writeRead(Pair p, Buffers b) throws SmcdException {
        b.src.clear();
        b.dst.clear();
        int written = p.pair.sender.write(b.src);
        int read = p.pair.receiver.read(b.dst);
        if (written != p.size || read != p.size) {
            throw new IllegalStateException("written=" + written + " read=" + read + " size=" + p.size);
        }
        return b.dst.get(p.size - 1);
    }

    @Benchmark
    @Group("pipe")
    @GroupThreads(1)
    public int pipeWrite(Pair p, Buffers b, Moved m) throws SmcdException {
        b.src.clear();
        int n = p.pair.sender.write(b.src);
        m.written += n;
        return n;
    }

    @Benchmark
    @Group("pipe")
    @GroupThreads(1)
    public int pipeRead(Pair p, Buffers b, Moved m) throws SmcdException {
        b.dst.clear();
        int n = p.pair.receiver.read(b.dst);
        m.read += n;
        return n;
    }
}
