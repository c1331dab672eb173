package io.smcd.sim;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * The 24-byte encoding of an IP endpoint in shared segments (listener intents, statistics records):
 *
 * <pre>
 *   0 | address length u32: 4, 16, or 0 for "none" |
 *   4 | port u32                                    |
 *   8 | address, network order, zero-padded to 16 B |
 * </pre>
 *
 * Stateless and thread-safe.
 */
public final class SharedEndpoint {
    public static final int LENGTH = 24;
    private static final int PORT = Integer.BYTES;
    private static final int ADDRESS = PORT + Integer.BYTES;
    private static final int ADDRESS_SLOT_LENGTH = 16;
    private static final int IPV4_LENGTH = 4;
    private static final int MAX_PORT = 0xFFFF;

    private SharedEndpoint() {
    }

    /** Writes {@code endpoint} at {@code at}, or the empty encoding (all zeros) if it is null. */
    public static void put(ByteBuffer b, int at, InetSocketAddress endpoint) {
        if (endpoint == null || endpoint.getAddress() == null) {
            for (int i = 0; i < LENGTH; i += Long.BYTES) {
                b.putLong(at + i, 0);
            }
            return;
        }
        byte[] address = endpoint.getAddress().getAddress();
        b.putInt(at, address.length);
        b.putInt(at + PORT, endpoint.getPort());
        b.put(at + ADDRESS, address);
        for (int i = address.length; i < ADDRESS_SLOT_LENGTH; i++) {
            b.put(at + ADDRESS + i, (byte) 0);
        }
    }

    /** Whether the endpoint at {@code at} is exactly {@code endpoint}, compared without allocating. */
    public static boolean is(ByteBuffer b, int at, InetSocketAddress endpoint) {
        byte[] address = endpoint.getAddress().getAddress();
        if (b.getInt(at) != address.length || b.getInt(at + PORT) != endpoint.getPort()) {
            return false;
        }
        for (int i = 0; i < address.length; i++) {
            if (b.get(at + ADDRESS + i) != address[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code at} holds the empty encoding that {@link #put} writes for null. */
    public static boolean isEmpty(ByteBuffer b, int at) {
        return b.getInt(at) == 0;
    }

    /**
     * Reads and range-checks an endpoint: length 4 or 16, zero padding, port 1..65535.
     *
     * @throws SmcdException {@link SmcdReason#SYNCERR} naming {@code field} and what is wrong with it
     */
    public static InetSocketAddress get(ByteBuffer b, int at, String field) throws SmcdException {
        int length = b.getInt(at);
        if (length != IPV4_LENGTH && length != ADDRESS_SLOT_LENGTH) {
            throw corrupt(field + ".addressLength=" + length);
        }
        for (int i = length; i < ADDRESS_SLOT_LENGTH; i++) {
            if (b.get(at + ADDRESS + i) != 0) {
                throw corrupt(field + ".address has non-zero padding at byte " + i);
            }
        }
        int port = b.getInt(at + PORT);
        if (port <= 0 || port > MAX_PORT) {
            throw corrupt(field + ".port=" + port);
        }
        byte[] bytes = new byte[length];
        b.get(at + ADDRESS, bytes);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(bytes), port);
        } catch (UnknownHostException e) {
            throw corrupt(field + ".address is not an IP address");
        }
    }

    private static SmcdException corrupt(String problem) {
        return new SmcdException(SmcdReason.SYNCERR, "corrupt endpoint in shared segment: " + problem);
    }
}
