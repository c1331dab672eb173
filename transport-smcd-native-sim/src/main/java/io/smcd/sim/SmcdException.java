package io.smcd.sim;

import java.io.IOException;

/**
 * An environment or peer failure on the SMC-D path, carrying an SMC reason code from {@link SmcdReason}.
 * Callers that can fall back to TCP use the code as the fallback reason.
 */
public class SmcdException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int reasonCode;

    public SmcdException(int reasonCode, String message) {
        super(message);
        this.reasonCode = reasonCode;
    }

    public SmcdException(int reasonCode, String message, Throwable cause) {
        super(message, cause);
        this.reasonCode = reasonCode;
    }

    /** The SMC reason code, one of {@link SmcdReason}'s constants. */
    public int reasonCode() {
        return reasonCode;
    }

    @Override
    public String getMessage() {
        return super.getMessage() + " (reason=" + SmcdReason.name(reasonCode) + ")";
    }
}
