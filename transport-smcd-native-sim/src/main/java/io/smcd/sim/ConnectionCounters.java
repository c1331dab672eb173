package io.smcd.sim;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The counters of one side of an SMC-D connection: bytes and operations each way, full rings, doorbells, and the last
 * cursor values this side wrote or saw. Kept in the process's heap, not in shared memory, so a peer can neither read
 * nor fake them.
 *
 * <p>Thread-safety: one writer, the thread that owns the connection; any thread may read. Every word is stored with
 * opaque mode: a reader sees each value whole and never older than one it saw before, and the writer pays a plain
 * store (no fence), which is what keeps counting off the data path's bill.
 */
public final class ConnectionCounters {
    private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int BYTES_SENT = 0;
    private static final int WRITES = 1;
    private static final int SEND_RING_FULL = 2;
    private static final int BYTES_RECEIVED = 3;
    private static final int READS = 4;
    private static final int RECEIVE_RING_FULL = 5;
    private static final int DOORBELLS_SENT = 6;
    private static final int DOORBELLS_RECEIVED = 7;
    private static final int TX_PRODUCER = 8;
    private static final int TX_CONSUMER = 9;
    private static final int RX_PRODUCER = 10;
    private static final int RX_CONSUMER = 11;
    private static final int WORD_COUNT = 12;

    private final long[] words = new long[WORD_COUNT];

    void wrote(int bytes, long producer) {
        add(BYTES_SENT, bytes);
        add(WRITES, 1);
        set(TX_PRODUCER, producer);
    }

    void foundSendRingFull() {
        add(SEND_RING_FULL, 1);
    }

    void peerConsumed(long consumer) {
        set(TX_CONSUMER, consumer);
    }

    void read(int bytes, long consumer) {
        add(BYTES_RECEIVED, bytes);
        add(READS, 1);
        set(RX_CONSUMER, consumer);
    }

    void foundReceiveRingFull() {
        add(RECEIVE_RING_FULL, 1);
    }

    void peerProduced(long producer) {
        set(RX_PRODUCER, producer);
    }

    void doorbellSent() {
        add(DOORBELLS_SENT, 1);
    }

    /** Counts {@code n} doorbells that arrived for this side (the transport drains them). */
    public void doorbellsReceived(int n) {
        add(DOORBELLS_RECEIVED, n);
    }

    /** Bytes written into the peer's DMB. */
    public long bytesSent() {
        return get(BYTES_SENT);
    }

    /** Writes that moved at least one byte. */
    public long writes() {
        return get(WRITES);
    }

    /** Writes that found the peer's ring full. */
    public long sendRingFull() {
        return get(SEND_RING_FULL);
    }

    /** Bytes read from this side's RMB. */
    public long bytesReceived() {
        return get(BYTES_RECEIVED);
    }

    /** Reads that moved at least one byte. */
    public long reads() {
        return get(READS);
    }

    /** Reads that found this side's ring full: the peer had to wait for this side. */
    public long receiveRingFull() {
        return get(RECEIVE_RING_FULL);
    }

    /** Doorbells this side rang. */
    public long doorbellsSent() {
        return get(DOORBELLS_SENT);
    }

    /** Doorbells that arrived for this side. */
    public long doorbellsReceived() {
        return get(DOORBELLS_RECEIVED);
    }

    /** This side's producer cursor in the peer's DMB. */
    public long txProducer() {
        return get(TX_PRODUCER);
    }

    /** The peer's consumer cursor in its DMB, as this side last saw it. */
    public long txConsumer() {
        return get(TX_CONSUMER);
    }

    /** The peer's producer cursor in this side's RMB, as this side last saw it. */
    public long rxProducer() {
        return get(RX_PRODUCER);
    }

    /** This side's consumer cursor in its RMB. */
    public long rxConsumer() {
        return get(RX_CONSUMER);
    }

    private void add(int word, long n) {
        // The writer's own plain read is current: no other thread stores here.
        WORDS.setOpaque(words, word, words[word] + n);
    }

    private void set(int word, long value) {
        WORDS.setOpaque(words, word, value);
    }

    private long get(int word) {
        return (long) WORDS.getOpaque(words, word);
    }
}
