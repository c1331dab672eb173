package io.smcd.sim;

import java.nio.ByteBuffer;

/**
 * An Internal Shared Memory device, modelled on the kernel's {@code struct smcd_ops}: it moves data into the peer's
 * DMBs and signals the peer. The connection core above it ({@link SmcdConnection}) codes against this interface only.
 *
 * <p>{@code register_dmb}/{@code attach_dmb} are not device operations here: a DMB is a file of the shared-memory
 * domain that every device of the domain maps alike, so its life belongs to the domain's link groups
 * ({@link io.smcd.sim.lgr.LinkGroups}), which also reuse DMBs across connections as the kernel's link groups do.
 *
 * <p>A <em>nocopy</em> device ({@link #supportsNocopy()}) lets the sender use the attached peer DMB's ring as its send
 * buffer, so data crosses memory once, as the kernel's loopback-ism does with {@code attach_dmb}; otherwise the sender
 * stages data in a private send buffer and calls {@link #moveData}, as s390 ISM hardware does. Implementations are
 * thread-safe.
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
     * {@code move_data}: copies {@code length} bytes of {@code src} starting at absolute index {@code srcIndex} into
     * the ring of {@code peerDmb} at {@code ringOffset}; the range must not wrap.
     */
    void moveData(DmbSegment peerDmb, int ringOffset, ByteBuffer src, int srcIndex, int length);

    /** The signal half of {@code move_data(sf=1)}: wakes the peer through {@code doorbell}. */
    void signal(Doorbell doorbell);
}
