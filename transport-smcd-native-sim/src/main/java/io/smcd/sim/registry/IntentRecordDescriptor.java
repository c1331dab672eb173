package io.smcd.sim.registry;

import io.smcd.sim.ProcessIdentity;
import io.smcd.sim.SharedWords;
import io.smcd.sim.SmcdException;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Layout of a client intent record file, {@code intent-<port>-<hex address>} named by the client's own
 * local endpoint, and its hard link {@code intent-<port>-<hex address>-<hex nonce>} whose removal decides
 * the intent. The file is written whole under a temporary name and linked into place, then only read
 * (with plain file reads, never mapped) until it is removed. Every value is in {@link SharedWords#ORDER}.
 *
 * <pre>
 *  offset
 *       0 +---------------------------------------------------------------+
 *         | header, magic "SMCD-INT": see {@link RecordHeaderDescriptor}; |
 *         | the owner is the client, the nonce the intent's (also in the  |
 *         | decision link's name)                                         |
 *      56 +-------------------------------+-------------------------------+
 *         | client address length u32     | client port               u32 |
 *      64 +-------------------------------+-------------------------------+
 *         | client local address: 16 B endpoint slot                      |
 *      80 +-------------------------------+-------------------------------+
 *         | destination address length u32| destination port          u32 |
 *      88 +-------------------------------+-------------------------------+
 *         | destination address: 16 B endpoint slot                       |
 *     104 +---------------------------------------------------------------+
 * </pre>
 *
 * Stateless and thread-safe.
 */
public final class IntentRecordDescriptor {
    /** {@code "SMCD-INT"} in ASCII, read as a big-endian long. */
    public static final long MAGIC = 0x534D43442D494E54L;
    /** Bumped whenever this layout changes. */
    public static final int LAYOUT_VERSION = 1;

    public static final int CLIENT_ADDRESS_LENGTH_OFFSET = RecordHeaderDescriptor.LENGTH;
    public static final int CLIENT_PORT_OFFSET = CLIENT_ADDRESS_LENGTH_OFFSET + Integer.BYTES;
    public static final int CLIENT_ADDRESS_OFFSET = CLIENT_PORT_OFFSET + Integer.BYTES;
    /** Room for an IPv6 address. */
    public static final int ADDRESS_SLOT_LENGTH = RecordHeaderDescriptor.ADDRESS_SLOT_LENGTH;
    public static final int DESTINATION_ADDRESS_LENGTH_OFFSET = CLIENT_ADDRESS_OFFSET + ADDRESS_SLOT_LENGTH;
    public static final int DESTINATION_PORT_OFFSET = DESTINATION_ADDRESS_LENGTH_OFFSET + Integer.BYTES;
    public static final int DESTINATION_ADDRESS_OFFSET = DESTINATION_PORT_OFFSET + Integer.BYTES;
    /** The length of every record of this layout version, and so of its file. */
    public static final int RECORD_LENGTH = DESTINATION_ADDRESS_OFFSET + ADDRESS_SLOT_LENGTH;

    private static final String KIND = "intent";

    private IntentRecordDescriptor() {
    }

    /**
     * The owner a record claims, read from the offsets that every layout version keeps, or empty when the
     * bytes are too short or not an intent record at all. For a valid record this is its owner.
     */
    public static Optional<ProcessIdentity> claimedOwner(ByteBuffer record) {
        return RecordHeaderDescriptor.claimedOwner(record, MAGIC);
    }

    /** The bytes of the record file for {@code record}, positioned at 0 with the limit at {@link #RECORD_LENGTH}. */
    static ByteBuffer encode(IntentRecord record) {
        ByteBuffer buffer = ByteBuffer.allocate(RECORD_LENGTH).order(SharedWords.ORDER);
        RecordHeaderDescriptor.putHeader(buffer, MAGIC, LAYOUT_VERSION, RECORD_LENGTH, record.owner(), record.gid(),
                record.nonce());
        RecordHeaderDescriptor.putEndpoint(buffer, CLIENT_ADDRESS_LENGTH_OFFSET, CLIENT_PORT_OFFSET,
                CLIENT_ADDRESS_OFFSET, record.clientLocal());
        RecordHeaderDescriptor.putEndpoint(buffer, DESTINATION_ADDRESS_LENGTH_OFFSET, DESTINATION_PORT_OFFSET,
                DESTINATION_ADDRESS_OFFSET, record.destination());
        return buffer;
    }

    /**
     * Validates every field of the bytes of a record file (from index 0 to the limit) and decodes them.
     *
     * @throws SmcdException with reason {@code SYNCERR} naming the first field that is wrong
     */
    static IntentRecord decode(ByteBuffer record) throws SmcdException {
        RecordHeaderDescriptor.checkLength(record.limit(), KIND, RECORD_LENGTH);
        RecordHeaderDescriptor.checkHeader(record, KIND, MAGIC, LAYOUT_VERSION, RECORD_LENGTH);
        return new IntentRecord(RecordHeaderDescriptor.getOwner(record, KIND), RecordHeaderDescriptor.getGid(record),
                RecordHeaderDescriptor.getEndpoint(record, CLIENT_ADDRESS_LENGTH_OFFSET, CLIENT_PORT_OFFSET,
                        CLIENT_ADDRESS_OFFSET, KIND, "clientLocal"),
                RecordHeaderDescriptor.getEndpoint(record, DESTINATION_ADDRESS_LENGTH_OFFSET, DESTINATION_PORT_OFFSET,
                        DESTINATION_ADDRESS_OFFSET, KIND, "destination"),
                RecordHeaderDescriptor.getNonce(record));
    }
}
