package io.smcd.sim.handshake;

import io.smcd.sim.clc.ClcCodec;
import io.smcd.sim.clc.ClcDecline;
import io.smcd.sim.clc.ClcFormatException;
import io.smcd.sim.clc.ClcMessage;
import java.nio.ByteBuffer;

/** Stream framing and encoding shared by both handshake sides. Stateless. */
final class ClcFraming {
    private ClcFraming() {
    }

    /**
     * Takes the next whole CLC message from {@code in}, or returns null, consuming nothing, if it is not complete
     * yet. A message whose header frames it is consumed even when its body then fails to decode: its bytes belong
     * to the handshake. A header that does not frame (not CLC at all) consumes nothing, since its extent is unknown.
     */
    static ClcMessage next(ByteBuffer in) throws ClcFormatException {
        int length = ClcCodec.peekLength(in);
        if (length < 0 || in.remaining() < length) {
            return null;
        }
        ByteBuffer message = in.slice(in.position(), length);
        in.position(in.position() + length);
        return ClcCodec.decode(message);
    }

    static ByteBuffer encode(ClcMessage m) {
        return ByteBuffer.wrap(ClcCodec.encode(m));
    }

    static ByteBuffer decline(int reason) {
        return encode(new ClcDecline(reason));
    }
}
