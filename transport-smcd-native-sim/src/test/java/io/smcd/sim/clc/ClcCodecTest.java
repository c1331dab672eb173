package io.smcd.sim.clc;

import static io.smcd.sim.clc.ClcTestMessages.LOOPBACK_CHID;
import static io.smcd.sim.clc.ClcTestMessages.LOOPBACK_GID;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smcd.sim.Gid;
import io.smcd.sim.SmcdReason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Round trips, byte-exact kernel offsets, buffer handling and framing of {@link ClcCodec}. */
class ClcCodecTest {

    private static ClcMessage roundTrip(ClcMessage m) throws ClcFormatException {
        byte[] bytes = ClcCodec.encode(m);
        ByteBuffer src = ByteBuffer.wrap(bytes);
        ClcMessage decoded = ClcCodec.decode(src);
        assertEquals(m, decoded);
        assertEquals(m.hashCode(), decoded.hashCode());
        assertEquals(bytes.length, src.position(), "decode must consume the whole message");
        assertArrayEquals(bytes, ClcCodec.encode(decoded));
        return decoded;
    }

    private static int u8(byte[] b, int offset) {
        return b[offset] & 0xFF;
    }

    private static int u16(byte[] b, int offset) {
        return (b[offset] & 0xFF) << 8 | (b[offset + 1] & 0xFF);
    }

    private static int u32(byte[] b, int offset) {
        return u16(b, offset) << 16 | u16(b, offset + 2);
    }

    private static long u64(byte[] b, int offset) {
        return (long) u32(b, offset) << 32 | (u32(b, offset + 4) & 0xFFFFFFFFL);
    }

    private static byte[] slice(byte[] b, int offset, int length) {
        return Arrays.copyOfRange(b, offset, offset + length);
    }

    private static final byte[] SMCR = {(byte) 0xE2, (byte) 0xD4, (byte) 0xC3, (byte) 0xD9};
    private static final byte[] SMCD = {(byte) 0xE2, (byte) 0xD4, (byte) 0xC3, (byte) 0xC4};

    @Test
    void proposalRoundTripsTypicalAndEdgeValues() throws ClcFormatException {
        roundTrip(ClcTestMessages.proposal(1, 0));
        roundTrip(ClcTestMessages.proposal(1, 1));
        roundTrip(ClcTestMessages.proposal(ClcProposal.MAX_DEVICES, ClcProposal.MAX_EIDS));
        Gid extreme = new Gid(Long.MIN_VALUE, -1L);
        roundTrip(new ClcProposal(extreme, List.of(new ClcDevice(extreme, 0), new ClcDevice(new Gid(0, 0), 0xFFFF)),
                List.of("!", "~".repeat(32)), -1L, 15, 0xFFFF));
        roundTrip(new ClcProposal(extreme, List.of(new ClcDevice(extreme, 1)), List.of(), 0L, 0, 0));
    }

    @Test
    void proposalBytesSitAtKernelOffsets() {
        ClcProposal p = ClcTestMessages.proposal(2, 2);
        byte[] b = ClcCodec.encode(p);
        int e = 2;
        int n = 4;
        int length = 40 + 40 + 40 + 32 * e + 48 + 10 * n + 4;
        assertEquals(length, b.length);
        assertArrayEquals(SMCR, slice(b, 0, 4));
        assertEquals(1, u8(b, 4));
        assertEquals(length, u16(b, 5), "big-endian length");
        assertEquals(0x26, u8(b, 7), "version 2, typev2 D, typev1 N");
        assertArrayEquals(new byte[30], slice(b, 8, 30), "id_for_peer, RoCE gid, mac");
        assertEquals(0, u16(b, 38), "iparea_offset");
        assertEquals(0, u64(b, 40), "v1 native gid");
        assertEquals(0, u16(b, 48), "v1 native chid");
        assertEquals(28, u16(b, 50), "v2_ext_offset, counted from offset 52");
        assertEquals(0x8877665544332211L, u64(b, 60), "smcd: DMB token in reserved[20]");
        assertEquals(3, u8(b, 68), "smcd: DMB size code in reserved[20]");
        assertEquals(0xBEEF, u16(b, 69), "smcd: DMB generation in reserved[20]");
        assertArrayEquals(new byte[9], slice(b, 71, 9));
        assertEquals(e, u8(b, 80), "eid_cnt");
        assertEquals(n, u8(b, 81), "ism_gid_cnt");
        assertEquals(0x10, u8(b, 83), "release 1 in bits 7-4");
        assertEquals(32 + 32 * e, u16(b, 86), "smcd_v2_ext_offset, counted from offset 88");
        assertEquals(1, u16(b, 106), "feature_mask SMC_SPF_EMULATED_ISM_DEV");
        assertEquals("SMCD-UEID-0" + " ".repeat(21), new String(b, 120, 32, StandardCharsets.US_ASCII));
        assertEquals(p.eids().get(1), new String(b, 152, 32, StandardCharsets.US_ASCII));
        int entries = 120 + 32 * e + 48;
        assertArrayEquals(new byte[48], slice(b, 120 + 32 * e, 48), "system_eid, reserved");
        assertEquals(LOOPBACK_GID.gid(), u64(b, entries));
        assertEquals(LOOPBACK_CHID, u16(b, entries + 8));
        assertEquals(LOOPBACK_GID.gidExt(), u64(b, entries + 10));
        assertEquals(LOOPBACK_CHID, u16(b, entries + 18));
        ClcDevice second = p.devices().get(1);
        assertEquals(second.gid().gid(), u64(b, entries + 20));
        assertEquals(second.chid(), u16(b, entries + 28));
        assertEquals(second.gid().gidExt(), u64(b, entries + 30));
        assertEquals(second.chid(), u16(b, entries + 38));
        assertArrayEquals(SMCR, slice(b, length - 4, 4));
    }

    @Test
    void proposalLengthsSpanTheDocumentedRange() {
        assertEquals(192, ClcProposalCodec.MIN_LENGTH);
        assertEquals(508, ClcProposalCodec.MAX_LENGTH);
        assertEquals(192, ClcCodec.encode(ClcTestMessages.proposal(1, 0)).length);
        assertEquals(508, ClcCodec.encode(ClcTestMessages.proposal(4, 8)).length);
    }

    @Test
    void proposalSenderGidIsTheFirstDeviceGid() throws ClcFormatException {
        ClcProposal p = ClcTestMessages.proposal(3, 1);
        ClcProposal decoded = (ClcProposal) roundTrip(p);
        assertEquals(p.devices().get(0).gid(), decoded.senderGid());
    }

    @Test
    void acceptAndConfirmRoundTrip() throws ClcFormatException {
        for (boolean firstContact : new boolean[] {false, true}) {
            roundTrip(ClcTestMessages.accept(firstContact, ""));
            roundTrip(ClcTestMessages.accept(firstContact, "SMCD-UEID"));
            roundTrip(ClcTestMessages.accept(firstContact, "~".repeat(32)));
            roundTrip(ClcTestMessages.confirm(firstContact));
            roundTrip(new ClcAcceptConfirm(ClcAcceptConfirm.CONFIRM, new Gid(0, 0), 0, 15, 0xFFFF, Integer.MIN_VALUE,
                    0xFFFF, "!", firstContact));
        }
    }

    @Test
    void acceptBytesSitAtKernelOffsets() {
        ClcAcceptConfirm a = ClcTestMessages.accept(false, "SMCD-UEID-1");
        byte[] b = ClcCodec.encode(a);
        assertEquals(78, b.length);
        assertArrayEquals(SMCD, slice(b, 0, 4));
        assertEquals(2, u8(b, 4));
        assertEquals(0x00, u8(b, 5));
        assertEquals(78, u8(b, 6));
        assertEquals(0x21, u8(b, 7), "version 2, typev2 0, typev1 D");
        assertEquals(LOOPBACK_GID.gid(), u64(b, 8));
        assertEquals(0xA1B2C3D4E5F60718L, u64(b, 16), "token at 16, big-endian");
        assertEquals(0xA1, u8(b, 16));
        assertEquals(0, u8(b, 24), "dmbe_idx");
        assertEquals(6 << 4, u8(b, 25), "size code in the high nibble");
        assertEquals(0x0506, u16(b, 26), "smcd: DMB generation in reserved[2]");
        assertEquals(0x01020304, u32(b, 28), "linkid");
        assertEquals(LOOPBACK_CHID, u16(b, 32));
        assertEquals("SMCD-UEID-1" + " ".repeat(21), new String(b, 34, 32, StandardCharsets.US_ASCII));
        assertEquals(LOOPBACK_GID.gidExt(), u64(b, 66), "gid_ext at 66");
        assertEquals(0xFE, u8(b, 66));
        assertArrayEquals(SMCD, slice(b, 74, 4));
    }

    @Test
    void firstContactAcceptCarriesTheExtension() {
        byte[] b = ClcCodec.encode(ClcTestMessages.accept(true, ""));
        assertEquals(130, b.length);
        assertEquals(130, u16(b, 5));
        assertEquals(0x29, u8(b, 7), "version 2, typev2 first contact, typev1 D");
        assertArrayEquals(new byte[32], slice(b, 34, 32), "no EID: 32 zero bytes");
        assertEquals(0, u8(b, 74), "v2_direct is SMC-R only");
        assertEquals(0x21, u8(b, 75), "os_type Linux, release 1");
        assertEquals(" ".repeat(32), new String(b, 78, 32, StandardCharsets.US_ASCII));
        assertEquals(1, u16(b, 112), "feature_mask SMC_SPF_EMULATED_ISM_DEV");
        assertArrayEquals(SMCD, slice(b, 126, 4));
    }

    @Test
    void confirmUsesTypeThree() {
        byte[] b = ClcCodec.encode(ClcTestMessages.confirm(false));
        assertArrayEquals(SMCD, slice(b, 0, 4));
        assertEquals(3, u8(b, 4));
        assertEquals(0, u8(b, 25), "size code 0");
        assertEquals(0xFFFF, u16(b, 26));
        assertEquals(0xFFFFFFFF, u32(b, 28));
    }

    @Test
    void declineRoundTripsAndSitsAtKernelOffsets() throws ClcFormatException {
        roundTrip(ClcTestMessages.decline(false));
        roundTrip(ClcTestMessages.decline(true));
        roundTrip(new ClcDecline(0));
        ClcDecline d = ClcTestMessages.decline(true);
        byte[] b = ClcCodec.encode(d);
        assertEquals(44, b.length);
        assertArrayEquals(SMCR, slice(b, 0, 4));
        assertEquals(4, u8(b, 4));
        assertEquals(44, u16(b, 5));
        assertEquals(0x29, u8(b, 7), "version 2, typev2 out of sync, typev1 D");
        assertEquals(0x21, u8(ClcCodec.encode(ClcTestMessages.decline(false)), 7));
        assertArrayEquals(new byte[8], slice(b, 8, 8));
        assertEquals(SmcdReason.NOSMCD2DEV, u32(b, 16), "peer_diagnosis at 16");
        assertArrayEquals(new byte[] {0x03, 0x03, 0x00, 0x07}, slice(b, 16, 4));
        assertEquals(0x20, u8(b, 20), "os_type Linux");
        assertEquals(SmcdReason.NOUEID, u32(b, 24));
        assertEquals(0, u32(b, 28));
        assertEquals(-1, u32(b, 32));
        assertEquals(0x7FFFFFFF, u32(b, 36));
        assertArrayEquals(SMCR, slice(b, 40, 4));
    }

    @Test
    void declineOfSyncErrIsOutOfSyncAsInTheKernel() {
        assertTrue(new ClcDecline(SmcdReason.SYNCERR).outOfSync());
        assertFalse(new ClcDecline(SmcdReason.MEM).outOfSync());
        assertArrayEquals(new int[4], new ClcDecline(SmcdReason.MEM).peerDiagnosisV2());
    }

    @Test
    void declineCopiesItsArrayInAndOut() {
        int[] v2 = {1, 2, 3, 4};
        ClcDecline d = new ClcDecline(SmcdReason.MEM, false, v2);
        v2[0] = 99;
        assertArrayEquals(new int[] {1, 2, 3, 4}, d.peerDiagnosisV2());
        d.peerDiagnosisV2()[1] = 99;
        assertArrayEquals(new int[] {1, 2, 3, 4}, d.peerDiagnosisV2());
        ClcDecline same = new ClcDecline(SmcdReason.MEM, false, new int[] {1, 2, 3, 4});
        assertEquals(d, same);
        assertEquals(d.hashCode(), same.hashCode());
        assertNotEquals(d, new ClcDecline(SmcdReason.MEM, false, new int[] {1, 2, 3, 5}));
        assertNotEquals(d, new ClcDecline(SmcdReason.MEM, true, new int[] {1, 2, 3, 4}));
        assertTrue(d.toString().contains("MEM"), d.toString());
    }

    @Test
    void encodeWritesAtThePositionOfAnyBufferAndAdvancesIt() {
        for (ClcMessage m : ClcTestMessages.samples()) {
            byte[] expected = ClcCodec.encode(m);
            for (ByteBuffer dst : new ByteBuffer[] {
                    ByteBuffer.allocate(expected.length + 20).order(ByteOrder.LITTLE_ENDIAN),
                    ByteBuffer.allocateDirect(expected.length + 20)}) {
                for (int i = 0; i < dst.capacity(); i++) {
                    dst.put(i, (byte) 0x5A);
                }
                dst.position(7);
                assertEquals(expected.length, ClcCodec.encode(m, dst));
                assertEquals(7 + expected.length, dst.position());
                byte[] written = new byte[expected.length];
                dst.get(7, written);
                assertArrayEquals(expected, written, "garbage in dst must be overwritten");
                assertEquals(0x5A, dst.get(6));
                assertEquals(0x5A, dst.get(7 + expected.length));
            }
        }
    }

    @Test
    void encodeIntoATooSmallBufferIsRejectedWithoutWriting() {
        ClcMessage m = ClcTestMessages.proposal(1, 0);
        ByteBuffer dst = ByteBuffer.allocate(200);
        dst.position(9);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClcCodec.encode(m, dst));
        assertTrue(e.getMessage().contains("length=192"), e.getMessage());
        assertEquals(9, dst.position());
        assertArrayEquals(new byte[200], dst.array());
        assertThrows(IllegalArgumentException.class, () -> ClcCodec.encode(null));
        ByteBuffer readOnly = ByteBuffer.allocate(200).asReadOnlyBuffer();
        e = assertThrows(IllegalArgumentException.class, () -> ClcCodec.encode(m, readOnly));
        assertTrue(e.getMessage().contains("isReadOnly"), e.getMessage());
    }

    @Test
    void decodeReadsReadOnlyBuffers() throws ClcFormatException {
        ClcMessage m = ClcTestMessages.accept(true, "E");
        ByteBuffer src = ByteBuffer.wrap(ClcCodec.encode(m)).asReadOnlyBuffer();
        assertEquals(m, ClcCodec.decode(src));
        assertFalse(src.hasRemaining());
    }

    @Test
    void decodeConsumesExactlyOneMessageFromAStream() throws ClcFormatException {
        List<ClcMessage> messages = ClcTestMessages.samples();
        ByteBuffer stream = ByteBuffer.allocateDirect(4096).order(ByteOrder.LITTLE_ENDIAN);
        stream.put(new byte[] {1, 2, 3});
        for (ClcMessage m : messages) {
            ClcCodec.encode(m, stream);
        }
        stream.put((byte) 0x77);
        stream.flip();
        stream.position(3);
        for (ClcMessage m : messages) {
            int start = stream.position();
            int length = ClcCodec.peekLength(stream);
            assertEquals(start, stream.position(), "peekLength must not consume");
            assertEquals(ClcCodec.encodedLength(m), length);
            assertEquals(m, ClcCodec.decode(stream));
            assertEquals(start + length, stream.position());
        }
        assertEquals(1, stream.remaining());
        assertEquals(ByteOrder.LITTLE_ENDIAN, stream.order(), "the caller's byte order is left alone");
    }

    @Test
    void peekLengthNeedsOnlyTheHeader() throws ClcFormatException {
        byte[] b = ClcCodec.encode(ClcTestMessages.proposal(4, 8));
        for (int available = 0; available < 8; available++) {
            assertEquals(-1, ClcCodec.peekLength(ByteBuffer.wrap(b, 0, available)));
        }
        assertEquals(508, ClcCodec.peekLength(ByteBuffer.wrap(b, 0, 8)));
        ByteBuffer partial = ByteBuffer.wrap(b, 0, 100);
        assertEquals(508, ClcCodec.peekLength(partial));
        ClcFormatException e = assertThrows(ClcFormatException.class, () -> ClcCodec.decode(partial));
        assertEquals(ClcError.TRUNCATED, e.kind());
    }

    @Test
    void recordsAreValueObjects() throws ClcFormatException {
        assertEquals(ClcTestMessages.proposal(2, 3), ClcTestMessages.proposal(2, 3));
        assertNotEquals(ClcTestMessages.proposal(2, 3), ClcTestMessages.proposal(2, 2));
        assertEquals(ClcHeader.TYPE_PROPOSAL, ClcTestMessages.proposal(1, 0).type());
        assertEquals(ClcHeader.TYPE_ACCEPT, ClcTestMessages.accept(false, "").type());
        assertEquals(ClcHeader.TYPE_CONFIRM, ClcTestMessages.confirm(false).type());
        assertEquals(ClcHeader.TYPE_DECLINE, ClcTestMessages.decline(false).type());
        ClcProposal decoded = (ClcProposal) ClcCodec.decode(ByteBuffer.wrap(
                ClcCodec.encode(ClcTestMessages.proposal(2, 2))));
        assertThrows(UnsupportedOperationException.class, () -> decoded.devices().clear());
        assertThrows(UnsupportedOperationException.class, () -> decoded.eids().clear());
    }
}
