package io.smcd.sim;

import java.nio.ByteBuffer;

/**
 * Layout of a DMB file: the receive buffer (RMB) of one direction of a connection, owned by its receiver.
 * A link group lends the same DMB to one connection after another with the same peer; each loan is a
 * <em>lease</em> with its own generation. The owner writes the header (once, except the generation, which
 * it rewrites at each lease); during a lease the peer (the sender) is the only writer of the CDC block and
 * the ring; between leases, when the previous sender has released the DMB, the owner zeroes the used part of
 * the ring ({@link #zeroUsedRing}), and right before the next lease's generation it clears the CDC block
 * ({@link #clearCdcBlock}).
 * All words are 8-byte aligned and in {@link SharedWords#ORDER}.
 *
 * <pre>
 *  offset
 *       0 +--------------------------------------------------------------+
 *         | header: one 128 B slot, written once by the owner              |
 *       0 |   magic             u64  "SMCD-DMB"                            |
 *       8 |   layout version    u64  written last, with a release store    |
 *      16 |   token             u64  random; also the file name            |
 *      24 |   ring size         u64                                        |
 *      32 |   owner pid         u64                                        |
 *      40 |   owner start ms    u64                                        |
 *      48 |   lease generation  u64  1, 2, ... per lease; RETIRED at the end|
 *      56 |   (reserved)                                                   |
 *     128 +--------------------------------------------------------------+
 *         | CDC block, written only by the peer: see {@link CdcDescriptor} |
 *     640 +--------------------------------------------------------------+
 *         | data ring, ring size bytes, written only by the peer           |
 *         +--------------------------------------------------------------+
 * </pre>
 */
public final class DmbDescriptor {
    /** {@code "SMCD-DMB"} in ASCII, read as a big-endian long. */
    public static final long MAGIC = 0x534D43442D444D42L;
    /** Bumped whenever this layout or {@link CdcDescriptor}'s changes. */
    public static final long LAYOUT_VERSION = 2;
    /** The generation of a DMB its owner has stopped lending: a peer unmaps it and never writes it again. */
    public static final long RETIRED = -1;
    /** Every hot word and region starts on its own slot, so words of different writers never share a line pair. */
    public static final int SLOT_LENGTH = 128;

    public static final int MAGIC_OFFSET = 0;
    public static final int LAYOUT_VERSION_OFFSET = MAGIC_OFFSET + Long.BYTES;
    public static final int TOKEN_OFFSET = LAYOUT_VERSION_OFFSET + Long.BYTES;
    public static final int RING_SIZE_OFFSET = TOKEN_OFFSET + Long.BYTES;
    public static final int OWNER_PID_OFFSET = RING_SIZE_OFFSET + Long.BYTES;
    public static final int OWNER_START_OFFSET = OWNER_PID_OFFSET + Long.BYTES;
    public static final int GENERATION_OFFSET = OWNER_START_OFFSET + Long.BYTES;
    public static final int HEADER_USED_LENGTH = GENERATION_OFFSET + Long.BYTES;
    public static final int HEADER_LENGTH = SLOT_LENGTH;

    public static final int CDC_OFFSET = HEADER_LENGTH;
    public static final int RING_OFFSET = CDC_OFFSET + CdcDescriptor.LENGTH;

    private DmbDescriptor() {
    }

    /** The file length of a DMB whose ring holds {@code ringSize} bytes. */
    public static int fileLength(int ringSize) {
        checkRingSize(ringSize);
        return RING_OFFSET + ringSize;
    }

    /** Rejects a ring size no size code names. */
    public static void checkRingSize(int ringSize) {
        if (!DmbSize.isValidSize(ringSize)) {
            throw new IllegalArgumentException("ringSize=" + ringSize + " is not 16 KiB << n");
        }
    }

    /**
     * Writes the header of a new DMB, not yet leased (generation 0): every field with plain stores, then the layout
     * version with a release store, so an attacher that reads the version with acquire sees all other fields.
     */
    public static void writeHeader(ByteBuffer dmb, long token, int ringSize, ProcessIdentity owner) {
        SharedWords.setPlain(dmb, MAGIC_OFFSET, MAGIC);
        SharedWords.setPlain(dmb, GENERATION_OFFSET, 0);
        SharedWords.setPlain(dmb, TOKEN_OFFSET, token);
        SharedWords.setPlain(dmb, RING_SIZE_OFFSET, ringSize);
        SharedWords.setPlain(dmb, OWNER_PID_OFFSET, owner.pid());
        SharedWords.setPlain(dmb, OWNER_START_OFFSET, owner.startMillis());
        SharedWords.setRelease(dmb, LAYOUT_VERSION_OFFSET, LAYOUT_VERSION);
    }

    /** Publishes the generation of a new lease, or {@link #RETIRED}; only the owner calls it, between leases. */
    public static void setGenerationRelease(ByteBuffer dmb, long generation) {
        // Release: the reset of the CDC block and ring for this lease is visible before the generation naming it.
        SharedWords.setRelease(dmb, GENERATION_OFFSET, generation);
    }

    /** The current lease generation, or {@link #RETIRED}. */
    public static long getGenerationAcquire(ByteBuffer dmb) {
        // Acquire: pairs with setGenerationRelease, so a peer that sees the generation sees the reset block.
        return SharedWords.getAcquire(dmb, GENERATION_OFFSET);
    }

    /**
     * Zeroes what the previous sender of a released DMB wrote into the ring (from the start to its producer cursor, or
     * all of it if the cursor wrapped or is implausible), so no connection ever sees a previous connection's bytes.
     */
    public static void zeroUsedRing(ByteBuffer dmb, int ringSize) {
        long prod = SharedWords.getAcquire(dmb, CdcDescriptor.PROD_CURSOR_OFFSET);
        int used = CdcCursor.wrap(prod) == 0 && CdcCursor.count(prod) >= 0 && CdcCursor.count(prod) < ringSize
                ? CdcCursor.count(prod) : ringSize;
        SharedFiles.zero(dmb, RING_OFFSET, used);
    }

    /**
     * Resets every word of the CDC block. The owner calls it right before it publishes a new lease's generation, not
     * when the DMB comes back: a peer that claimed its release early (set its close flag, then kept writing) cannot
     * hand its later stores to the next lease.
     */
    public static void clearCdcBlock(ByteBuffer dmb) {
        for (int slot = CdcDescriptor.PROD_CURSOR_OFFSET; slot < RING_OFFSET; slot += SLOT_LENGTH) {
            SharedWords.setPlain(dmb, slot, 0);
        }
    }

    /**
     * Validates a header before anything else of the DMB is touched, and returns its owner.
     *
     * @throws SmcdException with reason {@link SmcdReason#SYNCERR} naming the first field that is wrong
     */
    public static ProcessIdentity checkHeader(ByteBuffer dmb, long expectedToken, int expectedRingSize) throws SmcdException {
        if (dmb.capacity() < HEADER_LENGTH) {
            throw new SmcdException(SmcdReason.SYNCERR, "DMB shorter than its header: length=" + dmb.capacity());
        }
        // Acquire: the owner released the version after every other field, so those reads below are complete.
        long version = SharedWords.getAcquire(dmb, LAYOUT_VERSION_OFFSET);
        if (version != LAYOUT_VERSION) {
            throw new SmcdException(SmcdReason.SYNCERR, "DMB layout version=" + version + ", expected " + LAYOUT_VERSION);
        }
        long magic = SharedWords.getPlain(dmb, MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new SmcdException(SmcdReason.SYNCERR, "DMB magic=0x" + Long.toHexString(magic));
        }
        long token = SharedWords.getPlain(dmb, TOKEN_OFFSET);
        if (token != expectedToken) {
            throw new SmcdException(SmcdReason.SYNCERR, "DMB token=" + Long.toHexString(token)
                    + ", expected " + Long.toHexString(expectedToken));
        }
        long ringSize = SharedWords.getPlain(dmb, RING_SIZE_OFFSET);
        if (ringSize != expectedRingSize || dmb.capacity() != RING_OFFSET + expectedRingSize) {
            throw new SmcdException(SmcdReason.SYNCERR, "DMB ring size=" + ringSize + " length=" + dmb.capacity()
                    + ", expected ring size " + expectedRingSize);
        }
        return new ProcessIdentity(SharedWords.getPlain(dmb, OWNER_PID_OFFSET), SharedWords.getPlain(dmb, OWNER_START_OFFSET));
    }
}
