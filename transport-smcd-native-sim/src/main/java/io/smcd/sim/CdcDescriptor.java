package io.smcd.sim;

/**
 * Layout of the CDC block inside a DMB (at {@link DmbDescriptor#CDC_OFFSET}): the latest connection state
 * of the peer that writes into this DMB, a mailbox rather than a queue, as SMC-D's 32-byte
 * {@code smcd_cdc_msg}. During a lease every word is written only by that peer and read by the DMB's owner; each
 * sits in its own 128-byte slot so that the owner's polling of one word never stalls the peer's update of another.
 * The owner clears the block right before each lease ({@link DmbDescriptor#clearCdcBlock}).
 *
 * <pre>
 *  offset (from the DMB start)
 *     128 +-------------------------------------------------------------+
 *         | producer cursor  u64 (wrap:32 | count:32): how far the peer  |
 *         |                  has written into this DMB's ring           |
 *     256 +-------------------------------------------------------------+
 *         | consumer cursor  u64 (wrap:32 | count:32): how far the peer  |
 *         |                  has consumed the ring the owner writes     |
 *     384 +-------------------------------------------------------------+
 *         | flags            u64: writeBlocked, peerDoneWriting,        |
 *         |                  peerConnClosed, peerConnAbort ({@link CdcFlags}) |
 *     512 +-------------------------------------------------------------+
 *         | sleeping         u64: 0 = awake, else the peer's sleep       |
 *         |                  generation: "ring my doorbell"            |
 *     640 +-------------------------------------------------------------+
 * </pre>
 */
public final class CdcDescriptor {
    public static final int PROD_CURSOR_OFFSET = DmbDescriptor.CDC_OFFSET;
    public static final int CONS_CURSOR_OFFSET = PROD_CURSOR_OFFSET + DmbDescriptor.SLOT_LENGTH;
    public static final int FLAGS_OFFSET = CONS_CURSOR_OFFSET + DmbDescriptor.SLOT_LENGTH;
    public static final int SLEEPING_OFFSET = FLAGS_OFFSET + DmbDescriptor.SLOT_LENGTH;
    /** The whole block: four slots. */
    public static final int LENGTH = SLEEPING_OFFSET + DmbDescriptor.SLOT_LENGTH - DmbDescriptor.CDC_OFFSET;

    private CdcDescriptor() {
    }
}
