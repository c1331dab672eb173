package io.smcd.sim.stats;

import io.smcd.sim.CdcCursor;
import java.net.InetSocketAddress;

/**
 * One connection as a statistics file shows it, in the manner of an {@code smcss} line. Immutable.
 *
 * @param state         {@code ACTIVE}; {@code PEERCLW} once the peer's stream ended; {@code APPCLW} once this side shut
 *                      its output down; {@code CLOSING} both
 * @param role          {@code CLIENT} or {@code SERVER}
 * @param mode          {@code TCP}, {@code SMCD_LOOPBACK} or {@code SMCD_COPY}
 * @param localReason   the local fallback reason code ({@link io.smcd.sim.SmcdReason}), 0 over SMC-D
 * @param peerReason    the reason code the peer declined with, 0 if none
 * @param local         this side's endpoint, null if unknown
 * @param peer          the peer's endpoint, null if unknown
 * @param peerPid       the peer process over SMC-D, 0 if unknown
 * @param rmbToken      this side's RMB, 0 over TCP
 * @param rmbSize       its ring size in bytes, 0 over TCP
 * @param peerDmbToken  the peer's DMB this side writes into, 0 over TCP
 * @param peerDmbSize   its ring size in bytes, 0 over TCP
 * @param bytesSent     bytes written into the peer's DMB
 * @param bytesReceived bytes read from the RMB
 * @param txProducer    this side's producer cursor in the peer's DMB
 * @param txConsumer    the peer's consumer cursor there, as this side last saw it
 * @param rxProducer    the peer's producer cursor in the RMB, as this side last saw it
 * @param rxConsumer    this side's consumer cursor in the RMB
 */
public record ConnectionRecord(String state, String role, String mode, int localReason, int peerReason,
        InetSocketAddress local, InetSocketAddress peer, long peerPid, long rmbToken, int rmbSize, long peerDmbToken,
        int peerDmbSize, long bytesSent, long bytesReceived, long txProducer, long txConsumer, long rxProducer,
        long rxConsumer) {

    /** Whether the connection runs over SMC-D. */
    public boolean isSmcd() {
        return mode.startsWith("SMCD");
    }

    /** Bytes sent that the peer has not read yet, as far as this side has seen. */
    public long bytesQueuedSend() {
        return queued(peerDmbSize, txConsumer, txProducer);
    }

    /** Bytes received that the application has not read yet. */
    public long bytesQueuedReceive() {
        return queued(rmbSize, rxConsumer, rxProducer);
    }

    private static long queued(int ringSize, long from, long to) {
        if (ringSize <= 0) {
            return 0;
        }
        long distance = CdcCursor.distance(ringSize, from, to);
        return distance == CdcCursor.IMPOSSIBLE ? 0 : distance;
    }
}
