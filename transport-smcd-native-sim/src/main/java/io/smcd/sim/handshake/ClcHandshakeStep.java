package io.smcd.sim.handshake;

import io.smcd.sim.IsmDevice;
import io.smcd.sim.SmcdConnection;
import io.smcd.sim.SmcdException;
import io.smcd.sim.SmcdReason;
import java.nio.ByteBuffer;

/**
 * What one call into a {@link ClcProposerHandshake} or {@link ClcAcceptorHandshake} produced: the bytes to write to the
 * TCP socket now (possibly none) and the handshake's status after the call. Immutable apart from the position of
 * {@link #output()}, which the caller advances as it writes; one step belongs to the one thread running the
 * handshake.
 *
 * <ul>
 *   <li>{@link Status#RUNNING}: wait for more bytes (or a timeout, then call {@code fallBack}).</li>
 *   <li>{@link Status#SMCD}: the connection runs over SMC-D: {@link #connection()} owns both DMBs from now on.
 *       Bytes after the last CLC message are the next layer's and were left unconsumed.</li>
 *   <li>{@link Status#FALLBACK}: both sides continue as plain TCP on the same socket once {@link #output()} (a
 *       Decline, when this side declined) is written; {@link #localReason()} and {@link #peerReason()} say why, as
 *       {@code smcss} prints {@code local/peer}. Every DMB the handshake held is released.</li>
 *   <li>{@link Status#FAILED}: the peer may believe SMC-D is up, so falling back is unsafe: the caller must abort
 *       the connection (close the TCP socket, e.g. with {@code SO_LINGER 0}). {@link #failure()} says why; every
 *       DMB is released and no bytes are to be sent.</li>
 * </ul>
 */
public final class ClcHandshakeStep {
    /** The handshake's status after a step. */
    public enum Status {
        /** Still negotiating. */
        RUNNING,
        /** Done: the connection runs over SMC-D. */
        SMCD,
        /** Done: both sides continue over TCP. */
        FALLBACK,
        /** Done: the connection must be aborted. */
        FAILED
    }

    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final Status status;
    private final ByteBuffer output;
    private final SmcdConnection connection;
    private final IsmDevice device;
    private final int localReason;
    private final int peerReason;
    private final SmcdException failure;

    private ClcHandshakeStep(Status status, ByteBuffer output, SmcdConnection connection, IsmDevice device,
            int localReason, int peerReason, SmcdException failure) {
        this.status = status;
        this.output = output == null ? NOTHING.duplicate() : output;
        this.connection = connection;
        this.device = device;
        this.localReason = localReason;
        this.peerReason = peerReason;
        this.failure = failure;
    }

    static ClcHandshakeStep running(ByteBuffer output) {
        return new ClcHandshakeStep(Status.RUNNING, output, null, null, SmcdReason.NONE, SmcdReason.NONE, null);
    }

    static ClcHandshakeStep smcd(ByteBuffer output, SmcdConnection connection, IsmDevice device) {
        return new ClcHandshakeStep(Status.SMCD, output, connection, device, SmcdReason.NONE, SmcdReason.NONE, null);
    }

    static ClcHandshakeStep fallback(ByteBuffer output, int localReason, int peerReason) {
        return new ClcHandshakeStep(Status.FALLBACK, output, null, null, localReason, peerReason, null);
    }

    static ClcHandshakeStep failed(SmcdException failure) {
        return new ClcHandshakeStep(Status.FAILED, null, null, null, failure.reasonCode(), SmcdReason.NONE, failure);
    }

    /** The same outcome without output: what a finished handshake answers to further calls. */
    ClcHandshakeStep withoutOutput() {
        return new ClcHandshakeStep(status, null, connection, device, localReason, peerReason, failure);
    }

    public Status status() {
        return status;
    }

    /** Whether the handshake has finished ({@link Status#SMCD}, {@link Status#FALLBACK} or {@link Status#FAILED}). */
    public boolean isDone() {
        return status != Status.RUNNING;
    }

    /** The bytes to write to the peer, ready to read; empty if none. Write all of them before anything else. */
    public ByteBuffer output() {
        return output;
    }

    /** Whether {@link #output()} has bytes left to write. */
    public boolean hasOutput() {
        return output.hasRemaining();
    }

    /** {@link Status#SMCD} only: the new connection, which the caller now owns (and must close); otherwise null. */
    public SmcdConnection connection() {
        return connection;
    }

    /** {@link Status#SMCD} only: the device both sides chose (one of those given to the handshake); otherwise null. */
    public IsmDevice device() {
        return device;
    }

    /**
     * {@link Status#FALLBACK}: the local fallback reason ({@link SmcdReason#PEERDECL} when the peer declined);
     * {@link Status#FAILED}: the failure's reason code; otherwise {@link SmcdReason#NONE}.
     */
    public int localReason() {
        return localReason;
    }

    /** {@link Status#FALLBACK} after a peer's Decline: the peer's diagnosis; otherwise {@link SmcdReason#NONE}. */
    public int peerReason() {
        return peerReason;
    }

    /** {@link Status#FAILED} only: why the connection must be aborted; otherwise null. */
    public SmcdException failure() {
        return failure;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ClcHandshakeStep(").append(status);
        if (output.hasRemaining()) {
            sb.append(", output=").append(output.remaining()).append(" B");
        }
        if (device != null) {
            sb.append(", device=").append(device.name());
        }
        if (status == Status.FALLBACK || status == Status.FAILED) {
            sb.append(", reason=").append(SmcdReason.name(localReason)).append('/').append(SmcdReason.name(peerReason));
        }
        if (failure != null) {
            sb.append(", failure=").append(failure.getMessage());
        }
        return sb.append(')').toString();
    }
}
