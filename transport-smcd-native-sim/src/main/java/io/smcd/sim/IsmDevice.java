package io.smcd.sim;

import java.nio.ByteBuffer;

/**
 * An Internal Shared Memory device, modelled on the kernel's {@code struct smcd_ops}: it registers the
 * DMBs this side receives into, attaches the peer's DMBs, moves data into them and signals the peer.
 * The connection core above it ({@link SmcdConnection}) codes against this interface only.
 *
 * <p>A <em>nocopy</em> device ({@link #supportsNocopy()}) lets the sender use the attached peer DMB's
 * ring as its send buffer, so data crosses memory once, as the kernel's loopback-ism does with
 * {@code attach_dmb}; otherwise the sender stages data in a private send buffer and calls
 * {@link #moveData}, as s390 ISM hardware does. Implementations are thread-safe.
 */
public interface IsmDevice {
    /** The device's name, as {@code smcd device} would print it. */
    String name();

    /** The channel id: devices reach each other only with equal CHIDs. 0xFFFF is loopback-ism. */
    int chid();

    /** This device's GID. */
    Gid localGid();

    /** {@code query_remote_gid}: whether a peer device with {@code remoteGid} is reachable from this one. */
    boolean queryRemoteGid(Gid remoteGid);

    /** {@code support_dmb_nocopy}: whether an attached peer DMB may serve as the sender's send buffer. */
    boolean supportsNocopy();

    /**
     * {@code register_dmb}: creates this side's receive buffer with a ring of {@code ringSize} bytes.
     *
     * @throws SmcdException {@link SmcdReason#MAX_DMB} at the device's DMB limit, {@link SmcdReason#MEM}
     *                       when memory runs out
     */
    DmbSegment registerDmb(int ringSize) throws SmcdException;

    /** {@code unregister_dmb}: releases a DMB this device registered. */
    void unregisterDmb(DmbSegment dmb);

    /**
     * {@code attach_dmb}: maps the peer's DMB named by {@code token}. A nocopy sender writes its ring
     * directly; a copy device keeps it as the window {@link #moveData} writes through. Both write the
     * CDC block through it.
     */
    DmbSegment attachDmb(long token, int ringSize) throws SmcdException;

    /** {@code detach_dmb}: releases an attached peer DMB. */
    void detachDmb(DmbSegment dmb);

    /**
     * {@code move_data}: copies {@code length} bytes of {@code src} starting at absolute index
     * {@code srcIndex} into the ring of {@code peerDmb} at {@code ringOffset}; the range must not wrap.
     */
    void moveData(DmbSegment peerDmb, int ringOffset, ByteBuffer src, int srcIndex, int length);

    /** The signal half of {@code move_data(sf=1)}: wakes the peer through {@code doorbell}. */
    void signal(Doorbell doorbell);
}
