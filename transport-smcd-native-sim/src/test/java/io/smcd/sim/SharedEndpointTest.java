package io.smcd.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharedEndpointTest {
    private static InetSocketAddress at(String address, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(address), port);
    }

    @Test
    void endpointsRoundTripAndRejectWhatNoWriterWrites() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(64).order(SharedWords.ORDER);
        for (InetSocketAddress e : List.of(at("127.0.0.1", 1), at("::1", 65535), at("fe80::1", 8080))) {
            SharedEndpoint.put(b, 8, e);
            assertEquals(e, SharedEndpoint.get(b, 8, "e"));
            assertTrue(SharedEndpoint.is(b, 8, e));
            assertTrue(!SharedEndpoint.is(b, 8, new InetSocketAddress(e.getAddress(), e.getPort() == 1 ? 2 : 1)));
        }
        SharedEndpoint.put(b, 8, at("127.0.0.1", 80));
        b.putInt(8, 5);
        assertThrows(SmcdException.class, () -> SharedEndpoint.get(b, 8, "e"));
        SharedEndpoint.put(b, 8, at("127.0.0.1", 80));
        b.putInt(12, 0);
        assertThrows(SmcdException.class, () -> SharedEndpoint.get(b, 8, "e"));
        SharedEndpoint.put(b, 8, at("127.0.0.1", 80));
        b.put(16 + 7, (byte) 1);
        assertThrows(SmcdException.class, () -> SharedEndpoint.get(b, 8, "e"), "non-zero padding");
    }

    @Test
    void nullIsTheEmptyEncodingWhichNoReaderTakesForAnAddress() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(64).order(SharedWords.ORDER);
        SharedEndpoint.put(b, 8, at("::1", 9));
        SharedEndpoint.put(b, 8, null);
        assertTrue(SharedEndpoint.isEmpty(b, 8));
        for (int i = 8; i < 8 + SharedEndpoint.LENGTH; i++) {
            assertEquals(0, b.get(i), "byte " + i);
        }
        assertThrows(SmcdException.class, () -> SharedEndpoint.get(b, 8, "e"));
    }
}
