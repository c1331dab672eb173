package io.smcd.sim;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * One side of an SMC-D connection over a pair of leased DMBs ({@link DmbLease}): this side's RMB (the peer
 * writes into it, this side reads it) and the peer's attached DMB (this side writes into it). It implements the CDC protocol
 * of {@code smc_cdc.c}/{@code smc_tx.c}/{@code smc_rx.c}: data is written with plain stores and then
 * published with a release store of the producer cursor; the reader publishes its consumer cursor after
 * each read batch; flow control keeps {@code prod - peer cons <= ring size}; every value read from the
 * peer's memory is validated before use, and an impossible one raises {@link CdcProtocolException}.
 *
 * <p>Wake-ups: a side that goes to sleep {@linkplain #prepareToSleep() arms} its doorbell by writing a
 * sleep generation into the peer's DMB; the peer rings the doorbell once per generation after
 * publishing something the sleeper waits for. Both sides put a full fence between their store and the
 * load of the other side's word (Dekker), so a wake-up is never lost.
 *
 * <p>Thread-safety: not thread-safe. The read side ({@link #read}, {@link #readableBytes}) and the
 * write side ({@link #write}, {@link #writableBytes}, {@link #shutdownOutput}) touch disjoint state and
 * disjoint shared words, so each may have its own thread. Sleeping ({@link #prepareToSleep},
 * {@link #wakeUp}, {@link #hasPendingWork}) and {@link #close()}/{@link #abort()} look at both sides and
 * need the one thread that runs both, as an event loop does, or run after the others have stopped.
 */
public final class SmcdConnection implements AutoCloseable {
    private final IsmDevice device;
    private final DmbLease rmbLease;
    private final DmbLease peerDmbLease;
    private final DmbSegment rmb;
    private final DmbSegment peerDmb;
    private final SndbufPool sndbufs;
    private final Doorbell peerDoorbell;
    private final ByteBuffer rx;
    private final ByteBuffer tx;
    /** Copy device only: the private send buffer, one ring as large as the peer's, mirroring its offsets. */
    private final ByteBuffer sndbuf;
    private final int rxRingSize;
    private final int txRingSize;
    /**
     * The most bytes copied before a cursor is published: a quarter ring, so that on a small ring the reader copies
     * one grain out while the writer copies the next one in, instead of each waiting for the whole ring (core bench,
     * 64 KiB ring, 64 KiB writes: 2.9 GB/s with one publication per write, 4.7-5.1 GB/s with grains).
     */
    private final int rxGrain;
    private final int txGrain;
    private final ConnectionCounters counters = new ConnectionCounters();

    private long rxCons;
    private long rxProd;
    private long rxFlagsSeen;
    /** The peer announced end of stream and the producer cursor loaded after that announcement is final. */
    private boolean rxFinal;
    private long sleepGeneration;
    private boolean sleeping;

    private long txProd;
    private long txPeerCons;
    private long txFlags;
    private long txLastRungGeneration;
    private long rxLastRungGeneration;

    private boolean closed;

    /**
     * Builds one side over the lease of its own RMB, {@code rmb}, and of the peer's DMB, {@code peerDmb}, running on
     * {@code device}; a copy device takes its send buffer from {@code sndbufs}. The connection owns the leases from
     * now on and releases them (and the send buffer) on {@link #close()} or {@link #abort()}.
     */
    public SmcdConnection(IsmDevice device, DmbLease rmb, DmbLease peerDmb, SndbufPool sndbufs, Doorbell peerDoorbell) {
        if (!rmb.dmb().isRegistered() || peerDmb.dmb().isRegistered()) {
            throw new IllegalArgumentException("rmb=" + rmb.dmb() + " must be registered and peerDmb=" + peerDmb.dmb()
                    + " attached");
        }
        this.device = device;
        this.rmbLease = rmb;
        this.peerDmbLease = peerDmb;
        this.rmb = rmb.dmb();
        this.peerDmb = peerDmb.dmb();
        this.sndbufs = sndbufs;
        this.peerDoorbell = peerDoorbell;
        this.rx = this.rmb.buffer();
        this.tx = this.peerDmb.buffer();
        this.rxRingSize = this.rmb.ringSize();
        this.txRingSize = this.peerDmb.ringSize();
        this.rxGrain = publishGrain(rxRingSize);
        this.txGrain = publishGrain(txRingSize);
        this.sndbuf = device.supportsNocopy() ? null : sndbufs.take(txRingSize);
    }

    /** The device this connection runs on. */
    public IsmDevice device() {
        return device;
    }

    /** This connection's counters, readable from any thread. */
    public ConnectionCounters counters() {
        return counters;
    }

    /** This side's receive buffer. */
    public DmbSegment rmb() {
        return rmb;
    }

    /** The peer's receive buffer, which this side writes into. */
    public DmbSegment peerDmb() {
        return peerDmb;
    }

    // ---------------------------------------------------------------- write side

    /**
     * Copies as many bytes of {@code src} as the peer's ring has room for and publishes them. Returns the
     * number accepted; 0 means the peer's ring is full, and {@code writeBlocked} is then set in the peer's
     * DMB so that it publishes its consumer cursor and wakes this side.
     */
    public int write(ByteBuffer src) throws SmcdException {
        checkOutputOpen();
        int free = writableBytes();
        int accepted = 0;
        while (free > 0 && src.hasRemaining()) {
            // Each grain is published as soon as it is staged, so the reader copies it out while the next one goes in.
            int staged = stage(src, Math.min(free, txGrain));
            accepted += staged;
            free -= staged;
            publishProducerCursor();
        }
        if (accepted == 0 && src.hasRemaining()) {
            accepted = blockOrStage(src);
        }
        if (accepted > 0) {
            counters.wrote(accepted, txProd);
        }
        return accepted;
    }

    /** A gathering {@link #write(ByteBuffer)}: stages every buffer it can, publishing once per grain. */
    public long write(ByteBuffer[] srcs, int offset, int length) throws SmcdException {
        checkOutputOpen();
        int free = writableBytes();
        long accepted = 0;
        long unpublished = 0;
        for (int i = offset; i < offset + length && free > 0; i++) {
            while (free > 0 && srcs[i].hasRemaining()) {
                int staged = stage(srcs[i], (int) Math.min(free, txGrain - unpublished));
                accepted += staged;
                unpublished += staged;
                free -= staged;
                if (unpublished == txGrain) {
                    publishProducerCursor();
                    unpublished = 0;
                }
            }
        }
        if (unpublished > 0) {
            publishProducerCursor();
        } else if (accepted == 0) {
            for (int i = offset; i < offset + length; i++) {
                if (srcs[i].hasRemaining()) {
                    accepted = blockOrStage(srcs[i]);
                    break;
                }
            }
        }
        if (accepted > 0) {
            counters.wrote((int) accepted, txProd);
        }
        return accepted;
    }

    /**
     * Free bytes in the peer's ring: its size less what this side produced beyond the peer's consumer
     * cursor, which is read (acquire) and validated here.
     *
     * @throws SmcdException {@link SmcdReason#PEER_ABORT} once the peer closed or aborted: it reads no more,
     *                       as a TCP peer answers such writes with a reset
     */
    public int writableBytes() throws SmcdException {
        checkOpen();
        if ((peerFlags() & (CdcFlags.PEER_CONN_CLOSED | CdcFlags.PEER_CONN_ABORT)) != 0) {
            throw new SmcdException(SmcdReason.PEER_ABORT, "broken pipe: the peer closed the connection");
        }
        // Acquire: the peer released its cursor after reading the bytes, so reusing their space is safe.
        long cons = SharedWords.getAcquire(rx, CdcDescriptor.CONS_CURSOR_OFFSET);
        if (cons != txPeerCons) {
            if (CdcCursor.distance(txRingSize, txPeerCons, cons) == CdcCursor.IMPOSSIBLE
                    || CdcCursor.distance(txRingSize, cons, txProd) == CdcCursor.IMPOSSIBLE) {
                throw new CdcProtocolException("peer consumer cursor " + CdcCursor.toString(cons) + " impossible after "
                        + CdcCursor.toString(txPeerCons) + " with producer at " + CdcCursor.toString(txProd)
                        + " in a ring of " + txRingSize);
            }
            txPeerCons = cons;
            counters.peerConsumed(cons);
        }
        return txRingSize - (int) CdcCursor.distance(txRingSize, txPeerCons, txProd);
    }

    /**
     * Announces that this side waits for space in the peer's ring although its last write did not come back empty
     * (it filled the ring exactly, or its caller stopped writing there): publishes {@code writeBlocked}, so the
     * peer's next consumer-cursor update rings the doorbell once this side sleeps. Call it before
     * {@link #prepareToSleep()}; the next write that publishes withdraws it.
     */
    public void announceWriteBlocked() {
        checkOutputOpen();
        publishFlags(txFlags | CdcFlags.WRITE_BLOCKED);
    }

    /** Whether the last write found the peer's ring full and no space has been seen since. */
    public boolean isWriteBlocked() {
        return (txFlags & CdcFlags.WRITE_BLOCKED) != 0;
    }

    /**
     * Tells the peer no more data follows ({@code peerDoneWriting}); already published data still arrives.
     * Later writes are refused, as on a TCP socket whose output is shut down.
     */
    public void shutdownOutput() {
        checkOpen();
        publishFlags((txFlags & ~CdcFlags.WRITE_BLOCKED) | CdcFlags.PEER_DONE_WRITING);
    }

    /** Whether {@link #shutdownOutput()} ran. */
    public boolean isOutputShutdown() {
        return (txFlags & CdcFlags.PEER_DONE_WRITING) != 0;
    }

    private int blockOrStage(ByteBuffer src) throws SmcdException {
        counters.foundSendRingFull();
        publishFlags(txFlags | CdcFlags.WRITE_BLOCKED);
        // Re-check after the fence in publishFlags: a consumer that advanced before seeing writeBlocked
        // will not wake us, so its progress must be seen here instead.
        int accepted = stage(src, writableBytes());
        if (accepted > 0) {
            publishProducerCursor();
        }
        return accepted;
    }

    /** Copies up to {@code free} bytes of {@code src} into the ring at the producer cursor, without publishing. */
    private int stage(ByteBuffer src, int free) {
        int n = Math.min(src.remaining(), free);
        int done = 0;
        while (done < n) {
            int at = CdcCursor.count(txProd);
            int chunk = Math.min(n - done, txRingSize - at);
            int from = src.position() + done;
            if (sndbuf == null) {
                tx.put(DmbDescriptor.RING_OFFSET + at, src, from, chunk);
            } else {
                sndbuf.put(at, src, from, chunk);
                device.moveData(peerDmb, at, sndbuf, at, chunk);
            }
            txProd = CdcCursor.add(txRingSize, txProd, chunk);
            done += chunk;
        }
        src.position(src.position() + n);
        return n;
    }

    private void publishProducerCursor() {
        // Release: the ring bytes stored above become visible no later than the cursor that covers them.
        SharedWords.setRelease(tx, CdcDescriptor.PROD_CURSOR_OFFSET, txProd);
        if ((txFlags & CdcFlags.WRITE_BLOCKED) != 0) {
            publishFlags(txFlags & ~CdcFlags.WRITE_BLOCKED);
        } else {
            ringIfPeerSleeps();
        }
    }

    private void publishFlags(long flags) {
        if (flags != txFlags) {
            txFlags = flags;
            // Release: flags follow the producer cursor, so a reader seeing peerDoneWriting sees all data.
            SharedWords.setRelease(tx, CdcDescriptor.FLAGS_OFFSET, flags);
        }
        ringIfPeerSleeps();
    }

    /**
     * Rings the peer's doorbell if it armed it since the last ring. The full fence orders this side's
     * preceding store before the load of the peer's sleeping word: the Dekker pair of {@link #prepareToSleep}.
     */
    private void ringIfPeerSleeps() {
        VarHandle.fullFence();
        long generation = SharedWords.getAcquire(rx, CdcDescriptor.SLEEPING_OFFSET);
        if (generation != 0 && generation != txLastRungGeneration) {
            txLastRungGeneration = generation;
            device.signal(peerDoorbell);
            counters.doorbellSent();
        }
    }

    // ---------------------------------------------------------------- read side

    /**
     * Reads available bytes into {@code dst} and publishes the consumer cursor. Returns the count, 0 when
     * nothing is available, or -1 at end of stream (the peer shut down its output or closed, and every
     * byte it produced has been read).
     *
     * @throws SmcdException {@link SmcdReason#PEER_ABORT} if the peer aborted; {@link CdcProtocolException}
     *                       if it published an impossible cursor
     */
    public int read(ByteBuffer dst) throws SmcdException {
        int available = readableBytes();
        if (available == 0) {
            return rxFinal ? -1 : 0;
        }
        if (available == rxRingSize) {
            counters.foundReceiveRingFull();
        }
        int n = Math.min(available, dst.remaining());
        int done = 0;
        while (done < n) {
            int at = CdcCursor.count(rxCons);
            int chunk = Math.min(Math.min(n - done, rxRingSize - at), rxGrain);
            dst.put(dst.position() + done, rx, DmbDescriptor.RING_OFFSET + at, chunk);
            rxCons = CdcCursor.add(rxRingSize, rxCons, chunk);
            done += chunk;
            // Each grain's space is given back as soon as it is copied, so the writer refills it meanwhile.
            publishConsumerCursor();
        }
        dst.position(dst.position() + n);
        if (n > 0) {
            counters.read(n, rxCons);
        }
        return n;
    }

    /**
     * Bytes the peer has published and this side has not read: the producer cursor is read (acquire) and
     * validated here.
     */
    public int readableBytes() throws SmcdException {
        // Flags before the cursor, the reverse of the peer's publication order: a cursor loaded after an
        // end-of-stream or abort flag covers everything the peer published before it.
        long flags = peerFlags();
        // Acquire: pairs with the peer's release of the cursor, so the ring bytes it covers are visible.
        long prod = SharedWords.getAcquire(rx, CdcDescriptor.PROD_CURSOR_OFFSET);
        if (prod != rxProd) {
            if (rxFinal) {
                throw new CdcProtocolException("peer producer cursor moved to " + CdcCursor.toString(prod)
                        + " after its end of stream at " + CdcCursor.toString(rxProd));
            }
            if (CdcCursor.distance(rxRingSize, rxProd, prod) == CdcCursor.IMPOSSIBLE
                    || CdcCursor.distance(rxRingSize, rxCons, prod) == CdcCursor.IMPOSSIBLE) {
                throw new CdcProtocolException("peer producer cursor " + CdcCursor.toString(prod) + " impossible after "
                        + CdcCursor.toString(rxProd) + " with consumer at " + CdcCursor.toString(rxCons)
                        + " in a ring of " + rxRingSize);
            }
            rxProd = prod;
            counters.peerProduced(prod);
        }
        rxFinal |= CdcFlags.isEndOfStream(flags);
        int available = (int) CdcCursor.distance(rxRingSize, rxCons, rxProd);
        if (available == 0 && (flags & CdcFlags.PEER_CONN_ABORT) != 0) {
            throw new SmcdException(SmcdReason.PEER_ABORT, "connection reset by peer");
        }
        return available;
    }

    /** The peer's flags word ({@link CdcFlags}), validated. */
    public long peerFlags() throws SmcdException {
        checkOpen();
        // Acquire: the peer released its flags after its last producer cursor, so EOF is never seen early.
        long flags = SharedWords.getAcquire(rx, CdcDescriptor.FLAGS_OFFSET);
        if ((flags & ~CdcFlags.ALL) != 0) {
            throw new CdcProtocolException("peer flags 0x" + Long.toHexString(flags) + " have undefined bits");
        }
        return flags;
    }

    private void publishConsumerCursor() {
        // Release: this side's reads of the ring happen before the peer may overwrite the space.
        SharedWords.setRelease(tx, CdcDescriptor.CONS_CURSOR_OFFSET, rxCons);
        VarHandle.fullFence();
        // Only a blocked writer waits for space; the fence pairs with its fence after setting writeBlocked.
        if ((SharedWords.getAcquire(rx, CdcDescriptor.FLAGS_OFFSET) & CdcFlags.WRITE_BLOCKED) != 0) {
            long generation = SharedWords.getAcquire(rx, CdcDescriptor.SLEEPING_OFFSET);
            if (generation != 0 && generation != rxLastRungGeneration) {
                rxLastRungGeneration = generation;
                device.signal(peerDoorbell);
            counters.doorbellSent();
            }
        }
    }

    // ---------------------------------------------------------------- sleeping

    /**
     * Arms this side's doorbell before its thread blocks, then re-checks for work. Returns true if the
     * thread may block (the peer will ring once it publishes anything); false if work arrived meanwhile,
     * in which case the caller processes it and calls {@link #wakeUp()}.
     */
    public boolean prepareToSleep() throws SmcdException {
        checkOpen();
        sleepGeneration++;
        sleeping = true;
        SharedWords.setRelease(tx, CdcDescriptor.SLEEPING_OFFSET, sleepGeneration);
        // Full fence: the re-check's loads cannot move above the announcement (Dekker with ringIfPeerSleeps).
        VarHandle.fullFence();
        return !hasPendingWork();
    }

    /** Disarms the doorbell after waking; does nothing once the connection is closed. */
    public void wakeUp() {
        if (sleeping && !closed) {
            sleeping = false;
            // Release is enough: a stale "sleeping" seen by the peer only costs one spurious ring.
            SharedWords.setRelease(tx, CdcDescriptor.SLEEPING_OFFSET, 0);
        }
    }

    /**
     * Whether anything this side waits for has arrived: data, new space while write-blocked, or a change
     * of the peer's connection-state flags since the last call.
     */
    public boolean hasPendingWork() throws SmcdException {
        if (readableBytes() > 0) {
            return true;
        }
        long flags = peerFlags() & ~CdcFlags.WRITE_BLOCKED;
        if (flags != rxFlagsSeen) {
            rxFlagsSeen = flags;
            return true;
        }
        return isWriteBlocked() && writableBytes() > 0;
    }

    // ---------------------------------------------------------------- lifecycle

    /** The lease of this side's RMB. */
    public DmbLease rmbLease() {
        return rmbLease;
    }

    /** The lease of the peer's DMB. */
    public DmbLease peerDmbLease() {
        return peerDmbLease;
    }

    /** Whether the peer process still runs; a transport checks it when the socket cannot tell. */
    public boolean isPeerAlive() {
        return peerDmb.owner().isAlive();
    }

    /**
     * Closes gracefully: publishes {@code peerConnClosed}, or {@code peerConnAbort} when received data is
     * left unread (as the kernel does), then releases both leases. Data already published still reaches the
     * peer, which keeps its own mapping.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        boolean unread;
        try {
            unread = readableBytes() > 0;
        } catch (SmcdException e) {
            unread = true;
        }
        finish(unread ? CdcFlags.PEER_CONN_ABORT : CdcFlags.PEER_CONN_CLOSED);
    }

    /** Aborts: publishes {@code peerConnAbort} (the peer's reads and writes fail as on a reset) and releases both leases. */
    public void abort() {
        if (!closed) {
            finish(CdcFlags.PEER_CONN_ABORT);
        }
    }

    /** Whether {@link #close()} or {@link #abort()} ran. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * The close flag is this side's last write into the peer's DMB: it tells the peer's link group that this side
     * released it. The peer lease ends right after it, before the doorbell (which only reads this side's RMB), so a
     * new lease of the same DMB never waits on a doorbell system call; the RMB lease ends last.
     */
    private void finish(long closeFlag) {
        closed = true;
        sleeping = false;
        try {
            txFlags = (txFlags & ~CdcFlags.WRITE_BLOCKED) | closeFlag;
            // Release: everything this side wrote into the peer's DMB precedes the flag that releases it.
            SharedWords.setRelease(tx, CdcDescriptor.FLAGS_OFFSET, txFlags);
        } finally {
            peerDmbLease.release();
            try {
                ringIfPeerSleeps();
            } finally {
                rmbLease.release();
                if (sndbuf != null) {
                    sndbufs.give(sndbuf);
                }
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("connection closed: " + this);
        }
    }

    private void checkOutputOpen() {
        checkOpen();
        if (isOutputShutdown()) {
            throw new IllegalStateException("output shut down: " + this);
        }
    }

    @Override
    public String toString() {
        return "SmcdConnection(" + device.name() + ", rmb=" + rmb + ", peer=" + peerDmb
                + ", rx " + CdcCursor.toString(rxCons) + "/" + CdcCursor.toString(rxProd)
                + ", tx " + CdcCursor.toString(txPeerCons) + "/" + CdcCursor.toString(txProd)
                + ", flags " + CdcFlags.toString(txFlags) + ")";
    }

    /** A quarter of {@code ringSize}, at least 4 KiB (the whole ring if it is smaller). */
    static int publishGrain(int ringSize) {
        return Math.min(ringSize, Math.max(ringSize / 4, 4096));
    }
}
