package io.smcd.sim;

/**
 * The loopback device, after the kernel's loopback-ism: CHID 0xFFFF, nocopy. The sender's send buffer
 * <em>is</em> the attached peer DMB, so data is copied once on send and once on receive, like a pipe.
 * Thread-safe.
 */
public final class LoopbackIsmDevice extends DomainIsmDevice {
    /** {@code SMC_LO_RESERVED_CHID}. */
    public static final int CHID = 0xFFFF;

    public LoopbackIsmDevice(SmcdDomain domain) {
        super(domain);
    }

    @Override
    public String name() {
        return "loopback-ism";
    }

    @Override
    public int chid() {
        return CHID;
    }

    @Override
    public boolean supportsNocopy() {
        return true;
    }
}
