package io.smcd.sim.registry;

import io.smcd.sim.Gid;
import io.smcd.sim.ProcessIdentity;
import io.smcd.sim.SharedWords;
import io.smcd.sim.SmcdException;
import io.smcd.sim.SmcdReason;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Layout of the header that every registry record starts with ({@link ListenerRecordDescriptor},
 * {@link IntentRecordDescriptor}), and the encoding of the endpoint fields both record kinds carry after
 * it. Every value is in {@link SharedWords#ORDER}; 64-bit fields are 8-byte aligned.
 *
 * <pre>
 *  offset
 *       0 +-------------------------------+-------------------------------+
 *         | magic: one per record kind                                u64 |
 *       8 +-------------------------------+-------------------------------+
 *         | layout version            u32 | record length             u32 |
 *      16 +-------------------------------+-------------------------------+
 *         | owner pid                                                 u64 |
 *      24 | owner start millis                                        u64 |
 *      32 | GID: gid                                                  u64 |
 *      40 | GID: gid_ext                                              u64 |
 *      48 | nonce                                                     u64 |
 *      56 +---------------------------------------------------------------+
 * </pre>
 *
 * Magic, layout version, record length, owner pid and owner start millis keep these offsets in every
 * layout version of every kind, so that a process can tell who owns a record it cannot otherwise read.
 *
 * <p>An endpoint is an address length u32 (4 or 16), a port u32 (1..65535) and a 16-byte address slot
 * in network byte order; an IPv4 address fills the first 4 bytes of the slot and zeros the rest. The
 * record descriptors say where their endpoints are. Stateless and thread-safe.
 */
public final class RecordHeaderDescriptor {
    public static final int MAGIC_OFFSET = 0;
    public static final int LAYOUT_VERSION_OFFSET = MAGIC_OFFSET + Long.BYTES;
    public static final int RECORD_LENGTH_OFFSET = LAYOUT_VERSION_OFFSET + Integer.BYTES;
    public static final int OWNER_PID_OFFSET = RECORD_LENGTH_OFFSET + Integer.BYTES;
    public static final int OWNER_START_OFFSET = OWNER_PID_OFFSET + Long.BYTES;
    public static final int GID_OFFSET = OWNER_START_OFFSET + Long.BYTES;
    public static final int GID_EXT_OFFSET = GID_OFFSET + Long.BYTES;
    public static final int NONCE_OFFSET = GID_EXT_OFFSET + Long.BYTES;
    /** The length of the header, and so the offset of the first field of each record kind. */
    public static final int LENGTH = NONCE_OFFSET + Long.BYTES;
    /** How many bytes a record must have for {@link #claimedOwner} to read its owner. */
    public static final int OWNER_END = OWNER_START_OFFSET + Long.BYTES;
    /** Room for an IPv6 address in an endpoint. */
    public static final int ADDRESS_SLOT_LENGTH = 16;

    private static final int IPV4_LENGTH = 4;
    private static final int MAX_PORT = 0xFFFF;
    /** Linux's PID_MAX_LIMIT is 2^22; anything beyond a positive int cannot be a process of this host. */
    private static final long MAX_PID = Integer.MAX_VALUE;

    private RecordHeaderDescriptor() {
    }

    /** Rejects a {@code kind} record file whose length is not {@code recordLength}. */
    public static void checkLength(int length, String kind, int recordLength) throws SmcdException {
        if (length != recordLength) {
            throw corrupt(kind, "length=" + length + ", expected " + recordLength);
        }
    }

    /** Rejects a {@code kind} record whose magic, layout version or record length field is not the given one. */
    public static void checkHeader(ByteBuffer record, String kind, long magic, int layoutVersion, int recordLength)
            throws SmcdException {
        long actualMagic = record.getLong(MAGIC_OFFSET);
        if (actualMagic != magic) {
            throw corrupt(kind, "magic=0x" + Long.toHexString(actualMagic));
        }
        int version = record.getInt(LAYOUT_VERSION_OFFSET);
        if (version != layoutVersion) {
            throw corrupt(kind, "layoutVersion=" + version + ", expected " + layoutVersion);
        }
        int length = record.getInt(RECORD_LENGTH_OFFSET);
        if (length != recordLength) {
            throw corrupt(kind, "recordLength=" + length + ", expected " + recordLength);
        }
    }

    /**
     * The owner a record claims, read from the offsets that every layout version keeps, or empty when the
     * bytes are too short, do not start with {@code magic}, or cannot name a process.
     */
    public static Optional<ProcessIdentity> claimedOwner(ByteBuffer record, long magic) {
        if (record.limit() < OWNER_END || record.getLong(MAGIC_OFFSET) != magic) {
            return Optional.empty();
        }
        return owner(record);
    }

    /** Writes the header of a record of {@code recordLength} bytes. */
    static void putHeader(ByteBuffer record, long magic, int layoutVersion, int recordLength, ProcessIdentity owner,
            Gid gid, long nonce) {
        record.putLong(MAGIC_OFFSET, magic);
        record.putInt(LAYOUT_VERSION_OFFSET, layoutVersion);
        record.putInt(RECORD_LENGTH_OFFSET, recordLength);
        record.putLong(OWNER_PID_OFFSET, owner.pid());
        record.putLong(OWNER_START_OFFSET, owner.startMillis());
        record.putLong(GID_OFFSET, gid.gid());
        record.putLong(GID_EXT_OFFSET, gid.gidExt());
        record.putLong(NONCE_OFFSET, nonce);
    }

    /** The owner of a {@code kind} record, rejected unless its values can name a process. */
    static ProcessIdentity getOwner(ByteBuffer record, String kind) throws SmcdException {
        return owner(record).orElseThrow(() -> corrupt(kind, "owner pid=" + record.getLong(OWNER_PID_OFFSET)
                + " startMillis=" + record.getLong(OWNER_START_OFFSET)));
    }

    static Gid getGid(ByteBuffer record) {
        return new Gid(record.getLong(GID_OFFSET), record.getLong(GID_EXT_OFFSET));
    }

    static long getNonce(ByteBuffer record) {
        return record.getLong(NONCE_OFFSET);
    }

    static void putEndpoint(ByteBuffer record, int addressLengthOffset, int portOffset, int addressOffset,
            InetSocketAddress endpoint) {
        byte[] address = endpoint.getAddress().getAddress();
        record.putInt(addressLengthOffset, address.length);
        record.putInt(portOffset, endpoint.getPort());
        record.put(addressOffset, address);
        for (int i = address.length; i < ADDRESS_SLOT_LENGTH; i++) {
            record.put(addressOffset + i, (byte) 0);
        }
    }

    /**
     * Reads and range-checks an endpoint: the length is 4 or 16, the slot's unused bytes are zero, a
     * 16-byte address is a real IPv6 address (not an IPv4-mapped one, which the writer would have stored
     * as 4 bytes) and the port is 1..65535.
     */
    static InetSocketAddress getEndpoint(ByteBuffer record, int addressLengthOffset, int portOffset, int addressOffset,
            String kind, String field) throws SmcdException {
        int length = record.getInt(addressLengthOffset);
        if (length != IPV4_LENGTH && length != ADDRESS_SLOT_LENGTH) {
            throw corrupt(kind, field + ".addressLength=" + length);
        }
        for (int i = length; i < ADDRESS_SLOT_LENGTH; i++) {
            if (record.get(addressOffset + i) != 0) {
                throw corrupt(kind, field + ".address has non-zero padding at byte " + i);
            }
        }
        int port = record.getInt(portOffset);
        if (port <= 0 || port > MAX_PORT) {
            throw corrupt(kind, field + ".port=" + port);
        }
        byte[] bytes = new byte[length];
        record.get(addressOffset, bytes);
        InetAddress address;
        try {
            address = InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw corrupt(kind, field + ".address is not an IP address");
        }
        if (address.getAddress().length != length) {
            throw corrupt(kind, field + ".address is IPv4-mapped IPv6");
        }
        return new InetSocketAddress(address, port);
    }

    /** The owner named in the header, or empty if the values cannot name a process. */
    private static Optional<ProcessIdentity> owner(ByteBuffer record) {
        long pid = record.getLong(OWNER_PID_OFFSET);
        long startMillis = record.getLong(OWNER_START_OFFSET);
        if (pid <= 0 || pid > MAX_PID || startMillis <= 0) {
            return Optional.empty();
        }
        return Optional.of(new ProcessIdentity(pid, startMillis));
    }

    /** The error for a record that is not what its writer would have written; callers treat it as absent. */
    private static SmcdException corrupt(String kind, String problem) {
        return new SmcdException(SmcdReason.SYNCERR, "corrupt " + kind + " record: " + problem);
    }
}
