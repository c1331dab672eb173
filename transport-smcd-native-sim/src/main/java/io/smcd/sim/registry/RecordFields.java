package io.smcd.sim.registry;

import io.smcd.sim.ProcessIdentity;
import io.smcd.sim.SmcdException;
import io.smcd.sim.SmcdReason;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Encoding and range checks of the fields that both record layouts share: an owner identity and an
 * endpoint (address length, port, 16-byte address slot). The descriptors say where the fields are;
 * this class only says what a valid value is. Stateless and thread-safe.
 */
final class RecordFields {
    /** An IPv6 address fills the slot; an IPv4 address takes its first 4 bytes and leaves zeros after. */
    static final int ADDRESS_SLOT_LENGTH = 16;
    static final int IPV4_LENGTH = 4;
    static final int MAX_PORT = 0xFFFF;
    /** Linux's PID_MAX_LIMIT is 2^22; anything beyond a positive int cannot be a process of this host. */
    private static final long MAX_PID = Integer.MAX_VALUE;

    private RecordFields() {
    }

    /** The error for a record that is not what its writer would have written; callers treat it as absent. */
    static SmcdException corrupt(String recordKind, String problem) {
        return new SmcdException(SmcdReason.SYNCERR, "corrupt " + recordKind + " record: " + problem);
    }

    static void putOwner(ByteBuffer record, int pidOffset, int startOffset, ProcessIdentity owner) {
        record.putLong(pidOffset, owner.pid());
        record.putLong(startOffset, owner.startMillis());
    }

    /** The owner named at these offsets, or empty if the values cannot name a process. */
    static Optional<ProcessIdentity> getOwner(ByteBuffer record, int pidOffset, int startOffset) {
        long pid = record.getLong(pidOffset);
        long startMillis = record.getLong(startOffset);
        if (pid <= 0 || pid > MAX_PID || startMillis <= 0) {
            return Optional.empty();
        }
        return Optional.of(new ProcessIdentity(pid, startMillis));
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
            String recordKind, String field) throws SmcdException {
        int length = record.getInt(addressLengthOffset);
        if (length != IPV4_LENGTH && length != ADDRESS_SLOT_LENGTH) {
            throw corrupt(recordKind, field + ".addressLength=" + length);
        }
        for (int i = length; i < ADDRESS_SLOT_LENGTH; i++) {
            if (record.get(addressOffset + i) != 0) {
                throw corrupt(recordKind, field + ".address has non-zero padding at byte " + i);
            }
        }
        int port = record.getInt(portOffset);
        if (port <= 0 || port > MAX_PORT) {
            throw corrupt(recordKind, field + ".port=" + port);
        }
        byte[] bytes = new byte[length];
        record.get(addressOffset, bytes);
        InetAddress address;
        try {
            address = InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw corrupt(recordKind, field + ".address is not an IP address");
        }
        if (address.getAddress().length != length) {
            throw corrupt(recordKind, field + ".address is IPv4-mapped IPv6");
        }
        return new InetSocketAddress(address, port);
    }
}
