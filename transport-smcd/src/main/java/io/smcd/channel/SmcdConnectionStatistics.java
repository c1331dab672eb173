package io.smcd.channel;

import io.smcd.sim.stats.ConnectionRecord;

/**
 * One connection's figures at one moment, as {@code smcss -d} shows a socket: how it runs, its buffers and cursors,
 * and what went through it. Over TCP only the first three and the endpoints mean something; the rest is 0.
 *
 * <p>Obtained from {@link SmcdSocketChannel#statistics()} or {@link SmcdStatistics#connections()}. Immutable.
 *
 * @param mode              how the connection runs
 * @param fallbackReason    why it runs over TCP, null over SMC-D
 * @param connection        state, role, endpoints, DMB tokens and sizes, cursors, bytes each way
 * @param writes            writes into the peer's DMB that moved at least one byte
 * @param reads             reads from the RMB that moved at least one byte
 * @param sendRingFull      writes that found the peer's ring full
 * @param receiveRingFull   reads that found this side's ring full
 * @param doorbellsSent     doorbells this side rang
 * @param doorbellsReceived doorbells that arrived for this side
 */
public record SmcdConnectionStatistics(SmcdMode mode, SmcdFallbackReason fallbackReason, ConnectionRecord connection,
        long writes, long reads, long sendRingFull, long receiveRingFull, long doorbellsSent, long doorbellsReceived) {

    /** Bytes written into the peer's DMB. */
    public long bytesSent() {
        return connection.bytesSent();
    }

    /** Bytes read from this side's RMB. */
    public long bytesReceived() {
        return connection.bytesReceived();
    }
}
