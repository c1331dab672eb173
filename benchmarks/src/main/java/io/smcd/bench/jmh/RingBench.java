package io.smcd.bench.jmh;

import io.smcd.sim.CopyIsmDevice;
import io.smcd.sim.DmbSegment;
import io.smcd.sim.IsmDevice;
import io.smcd.sim.LoopbackIsmDevice;
import io.smcd.sim.SmcdConnection;
import io.smcd.sim.SmcdDomain;
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
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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

        private Path directory;
        private SmcdDomain domain;
        SmcdConnection sender;
        SmcdConnection receiver;

        @Setup(Level.Trial)
        public void open() throws SmcdException {
            directory = Paths.get("/dev/shm", "smcd-jmh-" + UUID.randomUUID());
            domain = SmcdDomain.open(directory);
            IsmDevice ism = device.equals("copy") ? new CopyIsmDevice(domain) : new LoopbackIsmDevice(domain);
            DmbSegment senderRmb = ism.registerDmb(1 << 20);
            DmbSegment receiverRmb = ism.registerDmb(1 << 20);
            sender = new SmcdConnection(ism, senderRmb, ism.attachDmb(receiverRmb.token(), 1 << 20), () -> { });
            receiver = new SmcdConnection(ism, receiverRmb, ism.attachDmb(senderRmb.token(), 1 << 20), () -> { });
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            try {
                sender.close();
                receiver.close();
                domain.close();
            } finally {
                if (Files.exists(directory)) {
                    try (Stream<Path> tree = Files.walk(directory)) {
                        List<Path> paths = tree.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
                        for (Path path : paths) {
                            Files.deleteIfExists(path);
                        }
                    } catch (UncheckedIOException e) {
                        throw e.getCause();
                    }
                }
            }
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
        int written = p.sender.write(b.src);
        int read = p.receiver.read(b.dst);
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
        int n = p.sender.write(b.src);
        m.written += n;
        return n;
    }

    @Benchmark
    @Group("pipe")
    @GroupThreads(1)
    public int pipeRead(Pair p, Buffers b, Moved m) throws SmcdException {
        b.dst.clear();
        int n = p.receiver.read(b.dst);
        m.read += n;
        return n;
    }
}
