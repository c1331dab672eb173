package io.smcd.sim.clc;

import io.smcd.sim.SmcdException;
import io.smcd.sim.SmcdReason;

/**
 * The peer sent CLC bytes that are not a valid smcd CLC message. The reason code is
 * {@link SmcdReason#VERSMISMAT} for a {@link ClcError#BAD_VERSION} and {@link SmcdReason#SYNCERR} otherwise, the
 * codes the handshake declines with. Immutable once thrown.
 */
public final class ClcFormatException extends SmcdException {
    private static final long serialVersionUID = 1L;

    private final ClcError kind;

    public ClcFormatException(ClcError kind, String message) {
        super(reasonOf(kind), "CLC " + kind + ": " + message);
        this.kind = kind;
    }

    /** What was wrong. */
    public ClcError kind() {
        return kind;
    }

    private static int reasonOf(ClcError kind) {
        if (kind == null) {
            throw new IllegalArgumentException("kind=null");
        }
        return kind == ClcError.BAD_VERSION ? SmcdReason.VERSMISMAT : SmcdReason.SYNCERR;
    }
}
