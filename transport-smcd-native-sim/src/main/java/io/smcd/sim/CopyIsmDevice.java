package io.smcd.sim;

/**
 * The copy device, after s390 ISM hardware: the sender fills a private send buffer, then the device
 * copies it into the peer DMB ({@link #moveData}), so data crosses memory twice on send. It exists to
 * measure what nocopy saves. Its CHID lies outside the Emulated-ISM range 0xFF00-0xFFFF. Thread-safe.
 */
public final class CopyIsmDevice extends DomainIsmDevice {
    /** This device's channel id. */
    public static final int CHID = 0x0C0D;

    public CopyIsmDevice(SmcdDomain domain) {
        super(domain);
    }

    @Override
    public String name() {
        return "copy-ism";
    }

    @Override
    public int chid() {
        return CHID;
    }

    @Override
    public boolean supportsNocopy() {
        return false;
    }
}
