package io.smcd.sim.registry;

import io.smcd.sim.Gid;
import io.smcd.sim.ProcessIdentity;
import io.smcd.sim.SharedWords;
import io.smcd.sim.SmcdException;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Layout of a client intent record file, {@code intent-<port>-<hex address>} named by the client's own
 * local endpoint, and its hard link {@code intent-<port>-<hex address>-<hex nonce>} whose removal decides
 * the intent. The file is written whole under a temporary name and linked into place, then only read
 * (with plain file reads, never mapped) until it is removed. Every value is in {@link SharedWords#ORDER};
 * 64-bit fields are 8-byte aligned.
 *
 * <pre>
 *  offset
 *       0 +-------------------------------+-------------------------------+
 *         | magic                                          u64 "SMCD-INT" |
 *       8 +-------------------------------+-------------------------------+
 *         | layout version            u32 | record length             u32 |
 *      16 +-------------------------------+-------------------------------+
 *         | owner pid (the client)                                    u64 |
 *      24 | owner start millis                                        u64 |
 *      32 | GID: gid                                                  u64 |
 *      40 | GID: gid_ext                                              u64 |
 *      48 | intent nonce (also in the decision link's name)           u64 |
 *      56 +-------------------------------+-------------------------------+
 *         | client address length u32     | client port               u32 |
 *      64 +-------------------------------+-------------------------------+
 *         | client local address: 16 B slot, network byte order           |
 *      80 +-------------------------------+-------------------------------+
 *         | destination address length u32| destination port          u32 |
 *      88 +-------------------------------+-------------------------------+
 *         | destination address: 16 B slot, network byte order            |
 *     104 +---------------------------------------------------------------+
 * </pre>
 *
 * An address length is 4 or 16; an IPv4 address fills the first 4 bytes of its slot and zeros the rest;
 * ports are 1..65535. Magic, layout version, record length, owner pid and owner start millis keep these
 * offsets in every layout version, so that a process can tell who owns a record it cannot otherwise read.
 * Stateless and thread-safe.
 */
public final class IntentRecordDescriptor {
    /** {@code "SMCD-INT"} in ASCII, read as a big-endian long. */
    public static final long MAGIC = 0x534D43442D494E54L;
    /** Bumped whenever this layout changes. */
    public static final int LAYOUT_VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int LAYOUT_VERSION_OFFSET = MAGIC_OFFSET + Long.BYTES;
    public static final int RECORD_LENGTH_OFFSET = LAYOUT_VERSION_OFFSET + Integer.BYTES;
    public static final int OWNER_PID_OFFSET = RECORD_LENGTH_OFFSET + Integer.BYTES;
    public static final int OWNER_START_OFFSET = OWNER_PID_OFFSET + Long.BYTES;
    public static final int GID_OFFSET = OWNER_START_OFFSET + Long.BYTES;
    public static final int GID_EXT_OFFSET = GID_OFFSET + Long.BYTES;
    public static final int NONCE_OFFSET = GID_EXT_OFFSET + Long.BYTES;
    public static final int CLIENT_ADDRESS_LENGTH_OFFSET = NONCE_OFFSET + Long.BYTES;
    public static final int CLIENT_PORT_OFFSET = CLIENT_ADDRESS_LENGTH_OFFSET + Integer.BYTES;
    public static final int CLIENT_ADDRESS_OFFSET = CLIENT_PORT_OFFSET + Integer.BYTES;
    /** Room for an IPv6 address. */
    public static final int ADDRESS_SLOT_LENGTH = RecordFields.ADDRESS_SLOT_LENGTH;
    public static final int DESTINATION_ADDRESS_LENGTH_OFFSET = CLIENT_ADDRESS_OFFSET + ADDRESS_SLOT_LENGTH;
    public static final int DESTINATION_PORT_OFFSET = DESTINATION_ADDRESS_LENGTH_OFFSET + Integer.BYTES;
    public static final int DESTINATION_ADDRESS_OFFSET = DESTINATION_PORT_OFFSET + Integer.BYTES;
    /** The length of every record of this layout version, and so of its file. */
    public static final int RECORD_LENGTH = DESTINATION_ADDRESS_OFFSET + ADDRESS_SLOT_LENGTH;
    /** How many bytes a record must have for {@link #claimedOwner} to read its owner. */
    public static final int OWNER_END = OWNER_START_OFFSET + Long.BYTES;

    private static final String KIND = "intent";

    private IntentRecordDescriptor() {
    }

    /** Rejects a record file whose length is not {@link #RECORD_LENGTH}. */
    public static void checkLength(int length) throws SmcdException {
        if (length != RECORD_LENGTH) {
            throw RecordFields.corrupt(KIND, "length=" + length + ", expected " + RECORD_LENGTH);
        }
    }

    /** Rejects a record of {@link #RECORD_LENGTH} bytes whose magic, layout version or record length field is wrong. */
    public static void checkHeader(ByteBuffer record) throws SmcdException {
        long magic = record.getLong(MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw RecordFields.corrupt(KIND, "magic=0x" + Long.toHexString(magic));
        }
        int version = record.getInt(LAYOUT_VERSION_OFFSET);
        if (version != LAYOUT_VERSION) {
            throw RecordFields.corrupt(KIND, "layoutVersion=" + version + ", expected " + LAYOUT_VERSION);
        }
        int length = record.getInt(RECORD_LENGTH_OFFSET);
        if (length != RECORD_LENGTH) {
            throw RecordFields.corrupt(KIND, "recordLength=" + length + ", expected " + RECORD_LENGTH);
        }
    }

    /**
     * The owner a record claims, read from the offsets that every layout version keeps, or empty when the
     * bytes are too short or not an intent record at all. For a valid record this is its owner.
     */
    public static Optional<ProcessIdentity> claimedOwner(ByteBuffer record) {
        if (record.limit() < OWNER_END || record.getLong(MAGIC_OFFSET) != MAGIC) {
            return Optional.empty();
        }
        return RecordFields.getOwner(record, OWNER_PID_OFFSET, OWNER_START_OFFSET);
    }

    /** The bytes of the record file for {@code record}, positioned at 0 with the limit at {@link #RECORD_LENGTH}. */
    static ByteBuffer encode(IntentRecord record) {
        ByteBuffer buffer = ByteBuffer.allocate(RECORD_LENGTH).order(SharedWords.ORDER);
        buffer.putLong(MAGIC_OFFSET, MAGIC);
        buffer.putInt(LAYOUT_VERSION_OFFSET, LAYOUT_VERSION);
        buffer.putInt(RECORD_LENGTH_OFFSET, RECORD_LENGTH);
        RecordFields.putOwner(buffer, OWNER_PID_OFFSET, OWNER_START_OFFSET, record.owner());
        buffer.putLong(GID_OFFSET, record.gid().gid());
        buffer.putLong(GID_EXT_OFFSET, record.gid().gidExt());
        buffer.putLong(NONCE_OFFSET, record.nonce());
        RecordFields.putEndpoint(buffer, CLIENT_ADDRESS_LENGTH_OFFSET, CLIENT_PORT_OFFSET, CLIENT_ADDRESS_OFFSET,
                record.clientLocal());
        RecordFields.putEndpoint(buffer, DESTINATION_ADDRESS_LENGTH_OFFSET, DESTINATION_PORT_OFFSET,
                DESTINATION_ADDRESS_OFFSET, record.destination());
        return buffer;
    }

    /**
     * Validates every field of the bytes of a record file (from index 0 to the limit) and decodes them.
     *
     * @throws SmcdException with reason {@code SYNCERR} naming the first field that is wrong
     */
    static IntentRecord decode(ByteBuffer record) throws SmcdException {
        checkLength(record.limit());
        checkHeader(record);
        ProcessIdentity owner = RecordFields.getOwner(record, OWNER_PID_OFFSET, OWNER_START_OFFSET)
                .orElseThrow(() -> RecordFields.corrupt(KIND, "owner pid=" + record.getLong(OWNER_PID_OFFSET)
                        + " startMillis=" + record.getLong(OWNER_START_OFFSET)));
        return new IntentRecord(owner, new Gid(record.getLong(GID_OFFSET), record.getLong(GID_EXT_OFFSET)),
                RecordFields.getEndpoint(record, CLIENT_ADDRESS_LENGTH_OFFSET, CLIENT_PORT_OFFSET,
                        CLIENT_ADDRESS_OFFSET, KIND, "clientLocal"),
                RecordFields.getEndpoint(record, DESTINATION_ADDRESS_LENGTH_OFFSET, DESTINATION_PORT_OFFSET,
                        DESTINATION_ADDRESS_OFFSET, KIND, "destination"),
                record.getLong(NONCE_OFFSET));
    }
}
