package io.smcd.sim.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smcd.sim.SmcdException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListenerSegmentDescriptorTest {
    static InetSocketAddress at(String address, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(address), port);
    }

    /** Reserves and publishes an intent at once, as a client does around its connect(). */
    static ClientIntent publish(Listener listener, InetSocketAddress clientLocal, InetSocketAddress destination,
            IntentOffer offer) throws SmcdException {
        ClientIntent intent = listener.reserve(destination, offer);
        intent.publish(clientLocal);
        return intent;
    }

    /** The intent a server finds, which the test expects to be there. */
    static PendingIntent requireFound(ListenerSegment server, InetSocketAddress remote, InetSocketAddress local) {
        PendingIntent intent = found(server, remote, local);
        if (intent == null) {
            throw new AssertionError("no intent of " + remote + " to " + local);
        }
        return intent;
    }

    /** The intent a server finds, or null. */
    static PendingIntent found(ListenerSegment server, InetSocketAddress remote, InetSocketAddress local) {
        return server.find(remote, local).intent();
    }

    @Test
    void headerAndSlotFieldsAreAlignedAndFitTheirSlots() {
        List<Integer> words = List.of(ListenerSegmentDescriptor.LAYOUT_VERSION_OFFSET, ListenerSegmentDescriptor.OWNER_PID_OFFSET,
                ListenerSegmentDescriptor.OWNER_START_OFFSET, ListenerSegmentDescriptor.GID_OFFSET,
                ListenerSegmentDescriptor.GID_EXT_OFFSET, ListenerSegmentDescriptor.NONCE_OFFSET,
                ListenerSegmentDescriptor.SLOT_COUNT_OFFSET, ListenerSegmentDescriptor.STATE_OFFSET,
                ListenerSegmentDescriptor.SLOT_STATE, ListenerSegmentDescriptor.SLOT_CLIENT_PID,
                ListenerSegmentDescriptor.SLOT_CLIENT_START, ListenerSegmentDescriptor.SLOT_OFFER_TOKEN,
                ListenerSegmentDescriptor.SLOT_ANSWER_TOKEN);
        for (int offset : words) {
            assertEquals(0, offset % Long.BYTES, "64-bit word at " + offset);
        }
        assertTrue(ListenerSegmentDescriptor.STATE_OFFSET + Long.BYTES <= ListenerSegmentDescriptor.HEADER_LENGTH);
        assertTrue(ListenerSegmentDescriptor.SLOT_USED_LENGTH <= ListenerSegmentDescriptor.SLOT_LENGTH);
        assertEquals(ListenerSegmentDescriptor.SLOT_CHIDS, ListenerSegmentDescriptor.SLOT_OFFER_GENERATION + Long.BYTES);
        assertEquals(ListenerSegmentDescriptor.HEADER_LENGTH + 3 * ListenerSegmentDescriptor.SLOT_LENGTH,
                ListenerSegmentDescriptor.slotOffset(3));
        assertThrows(IllegalArgumentException.class, () -> ListenerSegmentDescriptor.fileLength(0));
    }

    @Test
    void stateWordsCarryKindAndSequence() {
        long s = ListenerSegmentDescriptor.state(ListenerSegmentDescriptor.CLAIMED_JOIN, 123456789L);
        assertEquals(ListenerSegmentDescriptor.CLAIMED_JOIN, ListenerSegmentDescriptor.kind(s));
        assertEquals(123456789L, ListenerSegmentDescriptor.sequence(s));
    }
}
