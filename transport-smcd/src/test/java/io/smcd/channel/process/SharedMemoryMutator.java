package io.smcd.channel.process;

import io.smcd.sim.CdcCursor;
import io.smcd.sim.CdcDescriptor;
import io.smcd.sim.CdcFlags;
import io.smcd.sim.DmbDescriptor;
import io.smcd.sim.SharedWords;
import io.smcd.sim.SmcdConnection;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A hostile peer's hands on shared memory: given its own side of an established SMC-D connection, it writes random and
 * adversarial values into every word of both DMBs that the victim may read. The victim's RMB (the DMB this side writes
 * into) gets cursors beyond the ring, backwards, a lap or more ahead, exactly full, plausible but unbacked advances,
 * torn (two 32-bit halves written apart), flags with undefined bits, flapping end-of-stream and abort bits, sleep
 * generations, header fields and ring garbage; this side's own RMB (where the victim writes and from which it reads
 * the header) gets header fields such as a retired or stale generation. Each call is one mutation.
 *
 * <p>Not thread-safe; one mutator per connection, driven by one test thread while the connection's event loop keeps
 * running (which is part of the test: the loop's own stores race the mutations).
 */
final class SharedMemoryMutator {
    /** What a mutation hit, for the test's report. */
    enum Target {
        PRODUCER_CURSOR, CONSUMER_CURSOR, FLAGS, SLEEP_GENERATION, VICTIM_HEADER, RING_BYTES, OWN_HEADER, OWN_CDC_BLOCK
    }

    private static final int[] HEADER_WORDS = {DmbDescriptor.MAGIC_OFFSET, DmbDescriptor.LAYOUT_VERSION_OFFSET,
        DmbDescriptor.TOKEN_OFFSET, DmbDescriptor.RING_SIZE_OFFSET, DmbDescriptor.OWNER_PID_OFFSET,
        DmbDescriptor.OWNER_START_OFFSET, DmbDescriptor.GENERATION_OFFSET};
    private static final int[] CDC_WORDS = {CdcDescriptor.PROD_CURSOR_OFFSET, CdcDescriptor.CONS_CURSOR_OFFSET,
        CdcDescriptor.FLAGS_OFFSET, CdcDescriptor.SLEEPING_OFFSET};

    private final ByteBuffer victimRmb;
    private final ByteBuffer ownRmb;
    private final int victimRing;
    private final int ownRing;
    private final SplittableRandom random;
    private final Map<Target, Integer> counts = new EnumMap<>(Target.class);

    SharedMemoryMutator(SmcdConnection connection, SplittableRandom random) {
        this.victimRmb = connection.peerDmb().buffer();
        this.ownRmb = connection.rmb().buffer();
        this.victimRing = connection.peerDmb().ringSize();
        this.ownRing = connection.rmb().ringSize();
        this.random = random;
    }

    /** Applies one mutation and returns what it hit. */
    Target mutate() {
        Target target = Target.values()[random.nextInt(Target.values().length)];
        switch (target) {
            case PRODUCER_CURSOR:
                // The victim reads it against its own consumer cursor, which trails what this side produced.
                writeWord(victimRmb, CdcDescriptor.PROD_CURSOR_OFFSET,
                        cursor(SharedWords.getAcquire(victimRmb, CdcDescriptor.PROD_CURSOR_OFFSET), victimRing));
                break;
            case CONSUMER_CURSOR:
                // The victim reads it against its producer cursor, which it publishes in this side's RMB.
                writeWord(victimRmb, CdcDescriptor.CONS_CURSOR_OFFSET,
                        cursor(SharedWords.getAcquire(ownRmb, CdcDescriptor.PROD_CURSOR_OFFSET), ownRing));
                break;
            case FLAGS:
                writeWord(victimRmb, CdcDescriptor.FLAGS_OFFSET, flags());
                break;
            case SLEEP_GENERATION:
                writeWord(victimRmb, CdcDescriptor.SLEEPING_OFFSET, random.nextInt(4) == 0 ? 0 : random.nextLong());
                break;
            case VICTIM_HEADER:
                writeWord(victimRmb, HEADER_WORDS[random.nextInt(HEADER_WORDS.length)], anyValue());
                break;
            case RING_BYTES:
                ringGarbage();
                break;
            case OWN_HEADER:
                writeWord(ownRmb, HEADER_WORDS[random.nextInt(HEADER_WORDS.length)],
                        random.nextBoolean() ? DmbDescriptor.RETIRED : anyValue());
                break;
            default:
                writeWord(ownRmb, CDC_WORDS[random.nextInt(CDC_WORDS.length)], anyValue());
                break;
        }
        counts.merge(target, 1, Integer::sum);
        return target;
    }

    /** How many mutations hit each target so far. */
    Map<Target, Integer> counts() {
        return counts;
    }

    /** A cursor near {@code current} in a ring of {@code ring} bytes that no valid peer, or only a lying one, writes. */
    private long cursor(long current, int ring) {
        int wrap = CdcCursor.wrap(current);
        int count = CdcCursor.count(current);
        switch (random.nextInt(10)) {
            case 0:
                return CdcCursor.of(wrap, ring + random.nextInt(1 << 20));
            case 1:
                return CdcCursor.of(wrap, -1 - random.nextInt(1 << 20));
            case 2:
                return CdcCursor.of(wrap, Math.max(0, count - 1 - random.nextInt(ring)));
            case 3:
                return CdcCursor.of(wrap - 1, count);
            case 4:
                return CdcCursor.of(wrap + 2 + random.nextInt(1000), count);
            case 5:
                // A whole lap ahead: a full ring, or a backwards one, depending on the victim's side.
                return CdcCursor.of(wrap + 1, count);
            case 6:
                // Plausible, but no bytes stand behind it.
                return CdcCursor.add(ring, current, random.nextInt(ring));
            case 7:
                return random.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
            case 8:
                return CdcCursor.of(wrap + 1, ring - 1);
            default:
                return random.nextLong();
        }
    }

    private long flags() {
        switch (random.nextInt(6)) {
            case 0:
                return random.nextLong();
            case 1:
                return 1L << (4 + random.nextInt(60));
            case 2:
                return CdcFlags.PEER_DONE_WRITING;
            case 3:
                return CdcFlags.PEER_CONN_ABORT | random.nextLong(CdcFlags.ALL + 1);
            case 4:
                return 0;
            default:
                return random.nextLong(CdcFlags.ALL + 1);
        }
    }

    private long anyValue() {
        switch (random.nextInt(5)) {
            case 0:
                return 0;
            case 1:
                return -1;
            case 2:
                return random.nextInt(1 << 20);
            case 3:
                return Integer.MAX_VALUE + 1L;
            default:
                return random.nextLong();
        }
    }

    private void ringGarbage() {
        int length = 1 + random.nextInt(4096);
        int at = DmbDescriptor.RING_OFFSET + random.nextInt(victimRing - length + 1);
        for (int i = 0; i < length; i++) {
            victimRmb.put(at + i, (byte) random.nextInt());
        }
    }

    /**
     * Writes {@code value}: with a release store, a plain store, or torn, its two 32-bit halves apart, so the victim
     * may load the mix of the old and the new word in between.
     */
    private void writeWord(ByteBuffer dmb, int offset, long value) {
        switch (random.nextInt(3)) {
            case 0:
                SharedWords.setRelease(dmb, offset, value);
                break;
            case 1:
                SharedWords.setPlain(dmb, offset, value);
                break;
            default:
                long old = SharedWords.getPlain(dmb, offset);
                boolean lowFirst = random.nextBoolean();
                SharedWords.setRelease(dmb, offset, lowFirst ? (old & ~0xFFFF_FFFFL) | (value & 0xFFFF_FFFFL)
                        : (value & ~0xFFFF_FFFFL) | (old & 0xFFFF_FFFFL));
                Thread.onSpinWait();
                SharedWords.setRelease(dmb, offset, value);
                break;
        }
    }
}
