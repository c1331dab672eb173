package io.smcd.sim.registry;

import io.smcd.sim.ProcessIdentity;
import io.smcd.sim.SharedWords;
import io.smcd.sim.SmcdException;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Layout of a listener record file, {@code listener-<port>-<hex address>}: what a listening smcd server
 * publishes so that clients connecting to it negotiate SMC-D. The file is written whole under a
 * temporary name and renamed into place, then only read (with plain file reads, never mapped) until it
 * is removed. Every value is in {@link SharedWords#ORDER}.
 *
 * <pre>
 *  offset
 *       0 +---------------------------------------------------------------+
 *         | header, magic "SMCD-LSN": see {@link RecordHeaderDescriptor}; |
 *         | the owner is the server, the nonce the registration's         |
 *      56 +-------------------------------+-------------------------------+
 *         | address length  u32 (4 or 16) | port           u32 (1..65535) |
 *      64 +-------------------------------+-------------------------------+
 *         | bound address: 16 B endpoint slot; 0.0.0.0 or :: for a        |
 *         | wildcard listener                                             |
 *      80 +---------------------------------------------------------------+
 * </pre>
 *
 * Stateless and thread-safe.
 */
public final class ListenerRecordDescriptor {
    /** {@code "SMCD-LSN"} in ASCII, read as a big-endian long. */
    public static final long MAGIC = 0x534D43442D4C534EL;
    /** Bumped whenever this layout changes. */
    public static final int LAYOUT_VERSION = 1;

    public static final int ADDRESS_LENGTH_OFFSET = RecordHeaderDescriptor.LENGTH;
    public static final int PORT_OFFSET = ADDRESS_LENGTH_OFFSET + Integer.BYTES;
    public static final int ADDRESS_OFFSET = PORT_OFFSET + Integer.BYTES;
    /** Room for an IPv6 address. */
    public static final int ADDRESS_SLOT_LENGTH = RecordHeaderDescriptor.ADDRESS_SLOT_LENGTH;
    /** The length of every record of this layout version, and so of its file. */
    public static final int RECORD_LENGTH = ADDRESS_OFFSET + ADDRESS_SLOT_LENGTH;

    private static final String KIND = "listener";

    private ListenerRecordDescriptor() {
    }

    /**
     * The owner a record claims, read from the offsets that every layout version keeps, or empty when the
     * bytes are too short or not a listener record at all. For a valid record this is its owner.
     */
    public static Optional<ProcessIdentity> claimedOwner(ByteBuffer record) {
        return RecordHeaderDescriptor.claimedOwner(record, MAGIC);
    }

    /** The bytes of the record file for {@code record}, positioned at 0 with the limit at {@link #RECORD_LENGTH}. */
    static ByteBuffer encode(ListenerRecord record) {
        ByteBuffer buffer = ByteBuffer.allocate(RECORD_LENGTH).order(SharedWords.ORDER);
        RecordHeaderDescriptor.putHeader(buffer, MAGIC, LAYOUT_VERSION, RECORD_LENGTH, record.owner(), record.gid(),
                record.nonce());
        RecordHeaderDescriptor.putEndpoint(buffer, ADDRESS_LENGTH_OFFSET, PORT_OFFSET, ADDRESS_OFFSET, record.address());
        return buffer;
    }

    /**
     * Validates every field of the bytes of a record file (from index 0 to the limit) and decodes them.
     *
     * @throws SmcdException with reason {@code SYNCERR} naming the first field that is wrong
     */
    static ListenerRecord decode(ByteBuffer record) throws SmcdException {
        RecordHeaderDescriptor.checkLength(record.limit(), KIND, RECORD_LENGTH);
        RecordHeaderDescriptor.checkHeader(record, KIND, MAGIC, LAYOUT_VERSION, RECORD_LENGTH);
        return new ListenerRecord(RecordHeaderDescriptor.getOwner(record, KIND), RecordHeaderDescriptor.getGid(record),
                RecordHeaderDescriptor.getEndpoint(record, ADDRESS_LENGTH_OFFSET, PORT_OFFSET, ADDRESS_OFFSET, KIND,
                        "address"),
                RecordHeaderDescriptor.getNonce(record));
    }
}
