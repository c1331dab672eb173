package io.smcd.bench.common;

import java.nio.ByteBuffer;

/** The content of ping-pong messages, the same in every benchmark. Stateless. */
public final class PingMessage {
    /** The sequence number of a message that ends a run; real ones count up from 0. */
    public static final long STOP_SEQUENCE = -1;

    private PingMessage() {
    }

    /**
     * Fills all of {@code message} as message {@code sequence} and clears it, ready to be written: its number,
     * big-endian, then bytes derived from it, so that no two messages are equal.
     */
    public static void fill(ByteBuffer message, long sequence) {
        message.clear();
        message.putLong(0, sequence);
        long mix = sequence * 0x9E37_79B9_7F4A_7C15L;
        for (int i = Long.BYTES; i < message.capacity(); i++) {
            message.put(i, (byte) (mix >>> ((i * 8) & 63)));
        }
    }
}
