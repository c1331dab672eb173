package io.smcd.bench.suite;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GrpcScenarioTest {
    @Test
    void aStreamedMessageIsRecognisedOnlyAtItsIndexAndWithEveryByteIntact() {
        byte[] block = GrpcScenario.block(42, GrpcScenario.MESSAGE_BYTES);
        byte[] message = GrpcScenario.message(block, 7);
        assertTrue(GrpcScenario.isMessage(message, block, 7));
        assertFalse(GrpcScenario.isMessage(message, block, 8), "out of order");
        assertFalse(GrpcScenario.isMessage(message, GrpcScenario.block(43, GrpcScenario.MESSAGE_BYTES), 7), "another call's bytes");
        message[GrpcScenario.MESSAGE_BYTES - 1] ^= 1;
        assertFalse(GrpcScenario.isMessage(message, block, 7), "last byte flipped");
        assertFalse(GrpcScenario.isMessage(new byte[16], block, 0), "short message");
        assertArrayEquals(GrpcScenario.block(42, 64), GrpcScenario.block(42, 64), "the seed fixes the bytes");
    }

    @Test
    void unaryPayloadsDifferPerCall() {
        assertFalse(Arrays.equals(GrpcScenario.unaryPayload(1), GrpcScenario.unaryPayload(2)));
        assertEquals(GrpcScenario.UNARY_BYTES, GrpcScenario.unaryPayload(1).length);
    }
}
