package io.smcd.sim;

/**
 * The peer published an impossible CDC value (a cursor out of range or moving beyond what flow control
 * allows). The connection must be aborted; nothing read from the peer's memory was used.
 */
public final class CdcProtocolException extends SmcdException {
    private static final long serialVersionUID = 1L;

    public CdcProtocolException(String message) {
        super(SmcdReason.SYNCERR, message);
    }
}
