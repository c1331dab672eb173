package io.smcd.sim;

import java.nio.ByteBuffer;

/**
 * Layout of a DMB file: the receive buffer (RMB) of one direction of one connection, owned by its
 * receiver. The owner writes the header once; the peer (the sender) writes the CDC block and the ring.
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
 *      48 |   (reserved)                                                   |
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
    public static final long LAYOUT_VERSION = 1;
    /** Every hot word and region starts on its own slot, so words of different writers never share a line pair. */
    public static final int SLOT_LENGTH = 128;

    public static final int MAGIC_OFFSET = 0;
    public static final int LAYOUT_VERSION_OFFSET = MAGIC_OFFSET + Long.BYTES;
    public static final int TOKEN_OFFSET = LAYOUT_VERSION_OFFSET + Long.BYTES;
    public static final int RING_SIZE_OFFSET = TOKEN_OFFSET + Long.BYTES;
    public static final int OWNER_PID_OFFSET = RING_SIZE_OFFSET + Long.BYTES;
    public static final int OWNER_START_OFFSET = OWNER_PID_OFFSET + Long.BYTES;
    public static final int HEADER_USED_LENGTH = OWNER_START_OFFSET + Long.BYTES;
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
     * Writes the header of a new DMB: every field with plain stores, then the layout version with a
     * release store, so an attacher that reads the version with acquire sees all other fields.
     */
    public static void writeHeader(ByteBuffer dmb, long token, int ringSize, ProcessIdentity owner) {
        SharedWords.setPlain(dmb, MAGIC_OFFSET, MAGIC);
        SharedWords.setPlain(dmb, TOKEN_OFFSET, token);
        SharedWords.setPlain(dmb, RING_SIZE_OFFSET, ringSize);
        SharedWords.setPlain(dmb, OWNER_PID_OFFSET, owner.pid());
        SharedWords.setPlain(dmb, OWNER_START_OFFSET, owner.startMillis());
        SharedWords.setRelease(dmb, LAYOUT_VERSION_OFFSET, LAYOUT_VERSION);
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
