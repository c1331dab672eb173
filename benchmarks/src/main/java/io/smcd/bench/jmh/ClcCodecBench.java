package io.smcd.bench.jmh;

import io.smcd.sim.Gid;
import io.smcd.sim.SmcdReason;
import io.smcd.sim.clc.ClcAcceptConfirm;
import io.smcd.sim.clc.ClcCodec;
import io.smcd.sim.clc.ClcDecline;
import io.smcd.sim.clc.ClcDevice;
import io.smcd.sim.clc.ClcFormatException;
import io.smcd.sim.clc.ClcMessage;
import io.smcd.sim.clc.ClcProposal;
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
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The CLC codecs on the connection set-up path: encoding a message into a reused buffer and decoding it with full
 * validation, for each message type of the handshake (a Proposal with both devices and one EID, as an smcd server
 * sends it; Accept; Confirm; Decline). Run:
 * {@code java -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main ClcCodecBench}.
 *
 * <p>Thread-safety: every state is per benchmark thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ClcCodecBench {
    /** One encoded message and a buffer to encode it into again. */
    @State(Scope.Thread)
    public static class Message {
        @Param({"proposal", "accept", "confirm", "decline"})
        public String type;

        ClcMessage message;
        ByteBuffer encoded;
        ByteBuffer scratch;

        @Setup(Level.Trial)
        public void create() {
            Gid gid = Gid.of(UUID.fromString("6a0c51f3-77a2-4a0e-9a44-3c3c5e1b9f10"));
            switch (type) {
                case "proposal":
                    message = new ClcProposal(gid, List.of(new ClcDevice(gid, 0xFFFF), new ClcDevice(gid, 0xFFFE)),
                            List.of("SMCD-BENCH-EID"), 0x1122334455667788L, 6, 1);
                    break;
                case "accept":
                    message = new ClcAcceptConfirm(ClcAcceptConfirm.ACCEPT, gid, 0x0102030405060708L, 6, 1, 1, 0xFFFF, "SMCD-BENCH-EID", true);
                    break;
                case "confirm":
                    message = new ClcAcceptConfirm(ClcAcceptConfirm.CONFIRM, gid, 0x0807060504030201L, 6, 1, 1, 0xFFFF, "SMCD-BENCH-EID", false);
                    break;
                case "decline":
                    message = new ClcDecline(SmcdReason.PEERNOSMC);
                    break;
                default:
                    throw new IllegalArgumentException("type=" + type);
            }
            encoded = ByteBuffer.wrap(ClcCodec.encode(message));
            scratch = ByteBuffer.allocate(ClcCodec.encodedLength(message));
        }
    }

    @Benchmark
    public int encode(Message m) {
        m.scratch.clear();
        return ClcCodec.encode(m.message, m.scratch);
    }

    @Benchmark
    public ClcMessage decode(Message m) throws ClcFormatException {
        return ClcCodec.decode(m.encoded.duplicate());
    }

    /** Encode, then decode what was encoded: one message's share of a handshake's CPU on both ends. */
    @Benchmark
    public ClcMessage roundTrip(Message m) throws ClcFormatException {
        m.scratch.clear();
        ClcCodec.encode(m.message, m.scratch);
        return ClcCodec.decode(m.scratch.flip());
    }
}
