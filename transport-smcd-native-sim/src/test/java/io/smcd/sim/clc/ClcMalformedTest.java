package io.smcd.sim.clc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import io.smcd.sim.SmcdReason;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Every {@link ClcError} provoked by a targeted mutation of a valid encoding, and an exhaustive single-bit-flip check
 * that the decoder reads every bit the encoder writes.
 */
class ClcMalformedTest {
    private static byte[] proposal() {
        return ClcCodec.encode(ClcTestMessages.proposal(2, 1));
    }

    private static byte[] accept(boolean firstContact) {
        return ClcCodec.encode(ClcTestMessages.accept(firstContact, "SMCD-UEID"));
    }

    private static byte[] decline() {
        return ClcCodec.encode(ClcTestMessages.decline(false));
    }

    private static byte[] set8(byte[] b, int offset, int value) {
        byte[] copy = b.clone();
        copy[offset] = (byte) value;
        return copy;
    }

    private static byte[] set16(byte[] b, int offset, int value) {
        return set8(set8(b, offset, value >>> 8), offset + 1, value);
    }

    /** Asserts that decode fails with {@code kind}, and that peekLength, if it fails, agrees. */
    private static ClcFormatException assertFails(ClcError kind, byte[] bytes) {
        ClcFormatException e = assertThrows(ClcFormatException.class, () -> ClcCodec.decode(ByteBuffer.wrap(bytes)),
                () -> "expected " + kind + " for " + ClcTestMessages.hex(bytes));
        assertEquals(kind, e.kind(), e.getMessage());
        assertEquals(kind == ClcError.BAD_VERSION ? SmcdReason.VERSMISMAT : SmcdReason.SYNCERR, e.reasonCode());
        try {
            ClcCodec.peekLength(ByteBuffer.wrap(bytes));
        } catch (ClcFormatException peek) {
            assertEquals(kind, peek.kind(), peek.getMessage());
        }
        return e;
    }

    /** Asserts that the header alone is rejected with {@code kind}. */
    private static void assertHeaderFails(ClcError kind, byte[] bytes) {
        ClcFormatException peek = assertThrows(ClcFormatException.class,
                () -> ClcCodec.peekLength(ByteBuffer.wrap(bytes, 0, ClcHeader.HEADER_LENGTH)));
        assertEquals(kind, peek.kind(), peek.getMessage());
        assertFails(kind, bytes);
    }

    @Test
    void truncated() {
        for (byte[] b : new byte[][] {proposal(), accept(false), accept(true), decline()}) {
            assertFails(ClcError.TRUNCATED, new byte[0]);
            assertFails(ClcError.TRUNCATED, Arrays.copyOf(b, 7));
            assertFails(ClcError.TRUNCATED, Arrays.copyOf(b, 8));
            assertFails(ClcError.TRUNCATED, Arrays.copyOf(b, b.length - 1));
        }
    }

    @Test
    void badEyecatcher() {
        assertHeaderFails(ClcError.BAD_EYECATCHER, set8(proposal(), 0, 0x00));
        assertHeaderFails(ClcError.BAD_EYECATCHER, set8(decline(), 3, 0xC4));
        assertHeaderFails(ClcError.BAD_EYECATCHER, set8(accept(false), 3, 0xD9));
        byte[] p = proposal();
        assertFails(ClcError.BAD_EYECATCHER, set8(p, p.length - 1, 0xC4));
        byte[] a = accept(true);
        assertFails(ClcError.BAD_EYECATCHER, set8(a, a.length - 4, 0x00));
    }

    @Test
    void badType() {
        assertHeaderFails(ClcError.BAD_TYPE, set8(proposal(), 4, 0));
        assertHeaderFails(ClcError.BAD_TYPE, set8(decline(), 4, 5));
        assertHeaderFails(ClcError.BAD_TYPE, set8(accept(false), 4, 0xFF));
        assertHeaderFails(ClcError.BAD_TYPE, set8(proposal(), 7, 0x25));  // typev1 D: a v1 offer without its areas
        assertHeaderFails(ClcError.BAD_TYPE, set8(proposal(), 7, 0x2E));  // typev2 B: SMC-R offered
        assertHeaderFails(ClcError.BAD_TYPE, set8(accept(false), 7, 0x20));  // typev1 R
        assertHeaderFails(ClcError.BAD_TYPE, set8(accept(false), 7, 0x25));  // typev2 bit 0
        assertHeaderFails(ClcError.BAD_TYPE, set8(decline(), 7, 0x22));
    }

    @Test
    void badVersionIsAVersionMismatch() {
        for (int versionByte : new int[] {0x11, 0x31, 0xF1, 0x01}) {
            assertHeaderFails(ClcError.BAD_VERSION, set8(decline(), 7, versionByte));
            assertHeaderFails(ClcError.BAD_VERSION, set8(accept(false), 7, versionByte));
        }
        assertHeaderFails(ClcError.BAD_VERSION, set8(proposal(), 7, 0x16));
    }

    @Test
    void badLength() {
        assertHeaderFails(ClcError.BAD_LENGTH, set16(decline(), 5, 43));
        byte[] longer = Arrays.copyOf(decline(), 45);
        assertHeaderFails(ClcError.BAD_LENGTH, set16(longer, 5, 45));
        assertHeaderFails(ClcError.BAD_LENGTH, set16(accept(false), 5, 130));
        assertHeaderFails(ClcError.BAD_LENGTH, set8(accept(false), 7, 0x29));  // first contact needs 130 bytes
        assertHeaderFails(ClcError.BAD_LENGTH, set8(accept(true), 7, 0x21));
        assertHeaderFails(ClcError.BAD_LENGTH, set16(proposal(), 5, 191));
        assertHeaderFails(ClcError.BAD_LENGTH, set16(proposal(), 5, 0));
        assertHeaderFails(ClcError.BAD_LENGTH, set16(Arrays.copyOf(proposal(), 600), 5, 509));
        byte[] p = proposal();
        assertFails(ClcError.BAD_LENGTH, set8(p, 80, 0));  // eid_cnt no longer matches the length
        assertFails(ClcError.BAD_LENGTH, set8(p, 81, 2));  // nor does ism_gid_cnt
    }

    @Test
    void oversized() {
        assertHeaderFails(ClcError.OVERSIZED, set16(decline(), 5, 1025));
        assertHeaderFails(ClcError.OVERSIZED, set16(proposal(), 5, 0xFFFF));
        assertHeaderFails(ClcError.OVERSIZED, set16(accept(true), 5, 0x8000));
    }

    @Test
    void badOffset() {
        byte[] p = proposal();
        assertFails(ClcError.BAD_OFFSET, set16(p, 38, 40));    // iparea_offset: no IP prefix area here
        assertFails(ClcError.BAD_OFFSET, set16(p, 50, 27));    // v2_ext_offset
        assertFails(ClcError.BAD_OFFSET, set16(p, 50, 0xFFFF));
        assertFails(ClcError.BAD_OFFSET, set16(p, 86, 65));    // smcd_v2_ext_offset, 64 for one EID
        assertFails(ClcError.BAD_OFFSET, set16(p, 86, 0));
    }

    @Test
    void badField() {
        byte[] p = proposal();
        int entries = 120 + 32 + 48;
        assertFails(ClcError.BAD_FIELD, set8(p, 68, 16));                 // size code
        assertFails(ClcError.BAD_FIELD, set8(p, 80, 9));                  // eid_cnt
        assertFails(ClcError.BAD_FIELD, set8(p, 81, 3));                  // ism_gid_cnt odd
        assertFails(ClcError.BAD_FIELD, set8(p, 81, 0));
        assertFails(ClcError.BAD_FIELD, set8(p, 81, 10));
        assertFails(ClcError.BAD_FIELD, set8(p, 83, 0x01));               // release 0
        assertFails(ClcError.BAD_FIELD, set16(p, 106, 0xFFFE));           // no Emulated-ISM feature
        assertFails(ClcError.BAD_FIELD, set8(p, 120, 0x7F));              // EID byte not printable
        assertFails(ClcError.BAD_FIELD, set8(p, 121, 0x20));              // blank inside an EID
        assertFails(ClcError.BAD_FIELD, set8(p, 151, 0x00));              // NUL padding
        byte[] blankEid = p.clone();
        Arrays.fill(blankEid, 120, 152, (byte) ' ');
        assertFails(ClcError.BAD_FIELD, blankEid);
        assertFails(ClcError.BAD_FIELD, set16(p, entries + 18, 0xFFFE));  // pair with two CHIDs
        assertFails(ClcError.BAD_FIELD, set16(p, entries + 28, 0));

        byte[] a = accept(true);
        assertFails(ClcError.BAD_FIELD, set8(a, 24, 1));                  // dmbe_idx
        assertFails(ClcError.BAD_FIELD, set8(a, 34, 0x1F));               // EID control character
        byte[] blankAcceptEid = a.clone();
        Arrays.fill(blankAcceptEid, 34, 66, (byte) ' ');
        assertFails(ClcError.BAD_FIELD, blankAcceptEid);
        assertFails(ClcError.BAD_FIELD, set8(a, 75, 0x20));               // FCE release 0
        assertFails(ClcError.BAD_FIELD, set16(a, 112, 0));                // FCE without Emulated-ISM
        byte[] noEid = ClcCodec.encode(ClcTestMessages.accept(false, ""));
        assertFails(ClcError.BAD_FIELD, set8(noEid, 65, 'A'));            // not all zero, not blank-padded
    }

    @Test
    void ignoredFieldsDoNotChangeTheMessage() throws ClcFormatException {
        ClcMessage p = ClcTestMessages.proposal(2, 1);
        byte[] b = ClcCodec.encode(p);
        b[8] = 1;          // id_for_peer
        b[47] = 1;         // v1 native gid
        b[49] = 1;         // v1 native chid
        b[83] = 0x21;      // release 2, seid
        b[106] = (byte) 0x80;  // a feature smcd does not know
        b[152] = 'S';      // system_eid
        assertEquals(p, ClcCodec.decode(ByteBuffer.wrap(b)));
    }

    /**
     * Flips every bit of every sample encoding: a flip outside the ignored bits must be rejected or change the
     * message; a flip inside them must decode to the same message (except the one that makes a release 0).
     */
    @Test
    void everyBitIsReadOrDeliberatelyIgnored() {
        int flips = 0;
        for (ClcMessage m : ClcTestMessages.samples()) {
            byte[] encoded = ClcCodec.encode(m);
            byte[] ignored = ClcTestMessages.ignoredBits(m, encoded.length);
            for (int i = 0; i < encoded.length; i++) {
                for (int bit = 0; bit < 8; bit++) {
                    byte[] flipped = encoded.clone();
                    flipped[i] ^= (byte) (1 << bit);
                    boolean isIgnored = (ignored[i] & (1 << bit)) != 0 && !ClcTestMessages.releaseBit(m, i, bit);
                    String where = m + " byte " + i + " bit " + bit;
                    try {
                        ClcMessage decoded = ClcCodec.decode(ByteBuffer.wrap(flipped));
                        if (isIgnored) {
                            assertEquals(m, decoded, where);
                        } else {
                            assertNotEquals(m, decoded, where + " was silently ignored");
                        }
                    } catch (ClcFormatException e) {
                        if (isIgnored) {
                            fail(where + " is documented as ignored but was rejected: " + e.getMessage());
                        }
                    }
                    flips++;
                }
            }
        }
        assertEquals(8 * ClcTestMessages.samples().stream().mapToInt(ClcCodec::encodedLength).sum(), flips);
    }
}
