package io.smcd.sim.clc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smcd.sim.SmcdReason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Feeds {@link ClcCodec} random bytes and mutated valid encodings. Every input must either decode to a message whose
 * canonical encoding decodes back to it and differs from the input only in ignored bits, or fail with
 * {@link ClcFormatException}; any other throwable fails the test with the seed and the input in hex. The seed is
 * printed; rerun with {@code -Dsmcd.fuzz.seed=<seed>}.
 */
class ClcFuzzTest {
    private static final int RANDOM_INPUTS = 30_000;
    private static final int RANDOM_BODY_INPUTS = 20_000;
    private static final int MUTATED_INPUTS = 90_000;
    private static final int MAX_RANDOM_LENGTH = 1100;
    private static final int[] TYPES = {ClcHeader.TYPE_PROPOSAL, ClcHeader.TYPE_ACCEPT, ClcHeader.TYPE_CONFIRM,
            ClcHeader.TYPE_DECLINE};
    private static final int[] INTERESTING_BYTES = {0x00, 0x01, 0x02, 0x08, 0x0F, 0x10, 0x20, 0x21, 0x7E, 0x7F,
            0x80, 0xC4, 0xD9, 0xE2, 0xFE, 0xFF};

    private final long seed = Long.getLong("smcd.fuzz.seed", ThreadLocalRandom.current().nextLong());
    private final Random random = new Random(seed);
    private final Map<ClcError, Integer> failures = new EnumMap<>(ClcError.class);
    /** Reused: allocating a direct buffer per case would dominate the run time. */
    private final ByteBuffer direct = ByteBuffer.allocateDirect(2 * MAX_RANDOM_LENGTH);
    private int decoded;
    private int cases;

    @Test
    void decodeOnlyEverReturnsACanonicalMessageOrThrowsClcFormatException() {
        System.out.println("ClcFuzzTest seed=" + seed + " (rerun with -Dsmcd.fuzz.seed=" + seed + ")");
        long start = System.nanoTime();
        for (int i = 0; i < RANDOM_INPUTS; i++) {
            byte[] input = new byte[random.nextInt(MAX_RANDOM_LENGTH + 1)];
            random.nextBytes(input);
            check(input);
        }
        for (int i = 0; i < RANDOM_BODY_INPUTS; i++) {
            check(randomBodyWithValidFrame());
        }
        for (int i = 0; i < MUTATED_INPUTS; i++) {
            ClcMessage original = ClcTestMessages.randomMessage(random);
            byte[] input = ClcCodec.encode(original);
            assertRoundTrip(original, input);
            int mutations = 1 + random.nextInt(3);
            for (int j = 0; j < mutations; j++) {
                input = mutate(input);
            }
            check(input);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("ClcFuzzTest cases=" + cases + " decoded=" + decoded + " failures=" + failures + " in "
                + millis + " ms");
        assertTrue(cases >= 100_000, "cases=" + cases);
        for (ClcError kind : ClcError.values()) {
            assertTrue(failures.getOrDefault(kind, 0) > 0, "seed=" + seed + ": the corpus never provoked " + kind
                    + "; failures=" + failures);
        }
        assertTrue(decoded > 5_000, "seed=" + seed + ": too few inputs decoded, decoded=" + decoded);
    }

    private void assertRoundTrip(ClcMessage original, byte[] encoded) {
        try {
            ClcMessage decoded = ClcCodec.decode(ByteBuffer.wrap(encoded));
            if (!original.equals(decoded)) {
                throw new AssertionError("decode(encode(m)) != m: " + original + " became " + decoded);
            }
        } catch (ClcFormatException e) {
            throw new AssertionError("seed=" + seed + ": valid " + original + " rejected: " + e.getMessage(), e);
        }
    }

    /** Decodes {@code input} from a randomly shaped buffer and checks the outcome. */
    private void check(byte[] input) {
        cases++;
        int prefix = random.nextInt(4);
        int suffix = random.nextInt(3) == 0 ? random.nextInt(16) : 0;
        ByteBuffer src = random.nextBoolean() ? ByteBuffer.allocate(prefix + input.length + suffix)
                : direct.clear().limit(prefix + input.length + suffix);
        src.order(random.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        byte[] padding = new byte[prefix + suffix];
        random.nextBytes(padding);
        src.put(padding, 0, prefix).put(input).put(padding, prefix, suffix);
        src.position(prefix);
        try {
            checkDecode(src, prefix);
        } catch (AssertionError e) {
            throw new AssertionError(context(input, prefix, suffix) + ": " + e.getMessage(), e);
        } catch (Throwable t) {
            throw new AssertionError(context(input, prefix, suffix) + ": unexpected " + t, t);
        }
    }

    private String context(byte[] input, int prefix, int suffix) {
        return "seed=" + seed + " case=" + cases + " prefix=" + prefix + " suffix=" + suffix + " input="
                + ClcTestMessages.hex(input);
    }

    private void checkDecode(ByteBuffer src, int start) throws ClcFormatException {
        int available = src.remaining();
        int peeked;
        ClcError peekError = null;
        try {
            peeked = ClcCodec.peekLength(src);
            if (available < ClcHeader.HEADER_LENGTH ? peeked != -1 : peeked < ClcHeader.HEADER_LENGTH
                    + ClcHeader.TRAILER_LENGTH || peeked > ClcHeader.MAX_MESSAGE_LENGTH) {
                throw new AssertionError("peekLength=" + peeked + " available=" + available);
            }
        } catch (ClcFormatException e) {
            peekError = e.kind();
            peeked = 0;
        }
        if (src.position() != start) {
            throw new AssertionError("peekLength moved the position");
        }
        ClcMessage message;
        try {
            message = ClcCodec.decode(src);
        } catch (ClcFormatException e) {
            ClcError expected = peekError != null ? peekError
                    : peeked == -1 || peeked > available ? ClcError.TRUNCATED : null;
            if (expected != null && e.kind() != expected) {
                throw new AssertionError("decode failed with " + e.kind() + " but the header says " + expected);
            }
            int reason = e.kind() == ClcError.BAD_VERSION ? SmcdReason.VERSMISMAT : SmcdReason.SYNCERR;
            if (e.reasonCode() != reason) {
                throw new AssertionError("reasonCode=" + SmcdReason.name(e.reasonCode()) + " for " + e.kind());
            }
            failures.merge(e.kind(), 1, Integer::sum);
            return;
        }
        decoded++;
        if (peekError != null || src.position() - start != peeked) {
            throw new AssertionError("decoded " + message + " consuming " + (src.position() - start)
                    + " bytes but peekLength said " + (peekError != null ? peekError : peeked));
        }
        byte[] consumed = new byte[peeked];
        src.get(start, consumed);
        byte[] canonical = ClcCodec.encode(message);
        if (canonical.length != consumed.length) {
            throw new AssertionError("decoded " + message + " from " + consumed.length + " bytes re-encodes to "
                    + canonical.length);
        }
        ClcMessage again = ClcCodec.decode(ByteBuffer.wrap(canonical));
        if (!message.equals(again) || !Arrays.equals(canonical, ClcCodec.encode(again))) {
            throw new AssertionError("not a fixed point: " + message + " then " + again);
        }
        byte[] ignored = ClcTestMessages.ignoredBits(message, canonical.length);
        for (int i = 0; i < canonical.length; i++) {
            int differing = (consumed[i] ^ canonical[i]) & ~ignored[i] & 0xFF;
            if (differing != 0) {
                throw new AssertionError("decoded " + message + " although byte " + i + " differs from the canonical "
                        + ClcTestMessages.hex(canonical) + " in bits 0x" + Integer.toHexString(differing));
            }
        }
    }

    /** A valid header and trailer around random bytes, so that the body checks see traffic too. */
    private byte[] randomBodyWithValidFrame() {
        int type = TYPES[random.nextInt(TYPES.length)];
        int length;
        int versionByte;
        switch (type) {
            case ClcHeader.TYPE_PROPOSAL:
                length = ClcProposalCodec.MIN_LENGTH
                        + random.nextInt(ClcProposalCodec.MAX_LENGTH - ClcProposalCodec.MIN_LENGTH + 1);
                versionByte = 0x26;
                break;
            case ClcHeader.TYPE_DECLINE:
                length = ClcDeclineCodec.LENGTH;
                versionByte = random.nextBoolean() ? 0x21 : 0x29;
                break;
            default:
                boolean firstContact = random.nextBoolean();
                length = ClcAcceptConfirmCodec.length(firstContact);
                versionByte = firstContact ? 0x29 : 0x21;
                break;
        }
        byte[] b = new byte[length];
        random.nextBytes(b);
        if (type == ClcHeader.TYPE_PROPOSAL && random.nextInt(4) != 0) {
            // Mostly plausible counts and offsets, so that the EID and GID/CHID checks are reached.
            b[ClcProposalCodec.EID_CNT_OFFSET] = (byte) random.nextInt(ClcProposal.MAX_EIDS + 1);
            b[ClcProposalCodec.ISM_GID_CNT_OFFSET] = (byte) (2 * (1 + random.nextInt(ClcProposal.MAX_DEVICES)));
            b[ClcProposalCodec.IPAREA_OFFSET_OFFSET] = 0;
            b[ClcProposalCodec.IPAREA_OFFSET_OFFSET + 1] = 0;
            putU16(b, ClcProposalCodec.V2_EXT_OFFSET_OFFSET, ClcProposalCodec.V2_EXT_OFFSET_VALUE);
            putU16(b, ClcProposalCodec.SMCD_V2_EXT_OFFSET_OFFSET,
                    ClcProposalCodec.smcdV2ExtOffsetValue(b[ClcProposalCodec.EID_CNT_OFFSET]));
            b = Arrays.copyOf(b, ClcProposalCodec.length(b[ClcProposalCodec.EID_CNT_OFFSET],
                    b[ClcProposalCodec.ISM_GID_CNT_OFFSET]));
            length = b.length;
        }
        putU32(b, ClcHeader.EYECATCHER_OFFSET, ClcHeader.eyecatcherOf(type));
        b[ClcHeader.TYPE_OFFSET] = (byte) type;
        putU16(b, ClcHeader.LENGTH_OFFSET, length);
        b[ClcHeader.VERSION_OFFSET] = (byte) versionByte;
        putU32(b, length - ClcHeader.TRAILER_LENGTH, ClcHeader.eyecatcherOf(type));
        return b;
    }

    private byte[] mutate(byte[] b) {
        if (b.length == 0) {
            return b;
        }
        switch (random.nextInt(12)) {
            case 0: { // bit flips
                byte[] m = b.clone();
                for (int i = 1 + random.nextInt(4); i > 0; i--) {
                    m[random.nextInt(m.length)] ^= (byte) (1 << random.nextInt(8));
                }
                return m;
            }
            case 1: { // byte overwrites, often with values that matter to some field
                byte[] m = b.clone();
                for (int i = 1 + random.nextInt(4); i > 0; i--) {
                    m[random.nextInt(m.length)] = (byte) (random.nextBoolean() ? random.nextInt(256)
                            : INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)]);
                }
                return m;
            }
            case 2: // truncation
                return Arrays.copyOf(b, random.nextInt(b.length));
            case 3: { // extension, the length field left alone: decode must consume only the message
                byte[] m = Arrays.copyOf(b, b.length + 1 + random.nextInt(64));
                for (int i = b.length; i < m.length; i++) {
                    m[i] = (byte) random.nextInt(256);
                }
                return m;
            }
            case 4: { // extension or truncation with the length field and trailer following
                int length = Math.max(ClcHeader.HEADER_LENGTH + ClcHeader.TRAILER_LENGTH,
                        b.length + random.nextInt(81) - 40);
                return reframe(Arrays.copyOf(b, length), b);
            }
            case 5: { // length field tampering
                byte[] m = b.clone();
                if (m.length >= 7) {
                    int[] lengths = {0, 1, 8, 12, 43, 44, 45, 77, 78, 79, 129, 130, 131, 191, 192, 508, 509, 1023,
                            1024, 1025, 0x7FFF, 0x8000, 0xFFFF};
                    int length = random.nextBoolean() ? lengths[random.nextInt(lengths.length)]
                            : random.nextBoolean() ? m.length + random.nextInt(21) - 10 : random.nextInt(0x10000);
                    putU16(m, ClcHeader.LENGTH_OFFSET, length);
                }
                return m;
            }
            case 6: { // offset tampering in a proposal; elsewhere, a random 16-bit field
                byte[] m = b.clone();
                int[] offsets = {ClcProposalCodec.IPAREA_OFFSET_OFFSET, ClcProposalCodec.V2_EXT_OFFSET_OFFSET,
                        ClcProposalCodec.SMCD_V2_EXT_OFFSET_OFFSET};
                int at = isProposal(m) ? offsets[random.nextInt(offsets.length)] : random.nextInt(m.length);
                if (at + 1 < m.length) {
                    int value = (m[at] & 0xFF) << 8 | (m[at + 1] & 0xFF);
                    putU16(m, at, random.nextBoolean() ? value + random.nextInt(65) - 32 : random.nextInt(0x10000));
                }
                return m;
            }
            case 7: { // count tampering in a proposal, resized so that the length and offsets agree
                if (!isProposal(b)) {
                    return b;
                }
                int eidCnt = random.nextInt(ClcProposal.MAX_EIDS + 3);
                int gidCnt = random.nextInt(ClcProposalCodec.MAX_GID_CHIDS + 3);
                byte[] m = Arrays.copyOf(b, Math.max(ClcProposalCodec.MIN_LENGTH,
                        Math.min(ClcHeader.MAX_MESSAGE_LENGTH, ClcProposalCodec.length(eidCnt, gidCnt))));
                for (int i = b.length; i < m.length; i++) {
                    m[i] = (byte) (random.nextBoolean() ? ' ' : random.nextInt(256));
                }
                m[ClcProposalCodec.EID_CNT_OFFSET] = (byte) eidCnt;
                m[ClcProposalCodec.ISM_GID_CNT_OFFSET] = (byte) gidCnt;
                putU16(m, ClcProposalCodec.SMCD_V2_EXT_OFFSET_OFFSET, ClcProposalCodec.smcdV2ExtOffsetValue(eidCnt));
                return reframe(m, b);
            }
            case 8: { // header byte 7: version and type bits
                byte[] m = b.clone();
                if (m.length > ClcHeader.VERSION_OFFSET) {
                    m[ClcHeader.VERSION_OFFSET] = (byte) random.nextInt(256);
                }
                return m;
            }
            case 9: { // type or eyecatcher swaps
                byte[] m = b.clone();
                if (m.length > ClcHeader.TYPE_OFFSET) {
                    if (random.nextBoolean()) {
                        m[ClcHeader.TYPE_OFFSET] = (byte) random.nextInt(6);
                    } else {
                        int last = ClcHeader.EYECATCHER_LENGTH - 1;
                        m[last] = (byte) (m[last] == (byte) 0xC4 ? 0xD9 : 0xC4);
                    }
                }
                return m;
            }
            case 10: { // splice two messages
                byte[] other = ClcCodec.encode(ClcTestMessages.randomMessage(random));
                int cut = random.nextInt(Math.min(b.length, other.length) + 1);
                byte[] m = Arrays.copyOf(b, other.length);
                System.arraycopy(other, cut, m, cut, other.length - cut);
                return m;
            }
            default: { // a whole EID-sized window overwritten with printable, blank or zero bytes
                byte[] m = b.clone();
                int at = random.nextInt(m.length);
                int fill = random.nextInt(3);
                for (int i = at; i < Math.min(m.length, at + ClcHeader.EID_LENGTH); i++) {
                    m[i] = (byte) (fill == 0 ? 0 : fill == 1 ? ' ' : 0x21 + random.nextInt(0x5E));
                }
                return m;
            }
        }
    }

    private static boolean isProposal(byte[] b) {
        return b.length >= ClcProposalCodec.MIN_LENGTH && b[ClcHeader.TYPE_OFFSET] == ClcHeader.TYPE_PROPOSAL;
    }

    /** Sets {@code m}'s length field to its size and its trailer to the eyecatcher {@code original} started with. */
    private static byte[] reframe(byte[] m, byte[] original) {
        if (m.length >= ClcHeader.HEADER_LENGTH + ClcHeader.TRAILER_LENGTH
                && original.length >= ClcHeader.EYECATCHER_LENGTH) {
            putU16(m, ClcHeader.LENGTH_OFFSET, m.length);
            System.arraycopy(original, 0, m, m.length - ClcHeader.TRAILER_LENGTH, ClcHeader.TRAILER_LENGTH);
        }
        return m;
    }

    private static void putU16(byte[] b, int offset, int value) {
        b[offset] = (byte) (value >>> 8);
        b[offset + 1] = (byte) value;
    }

    private static void putU32(byte[] b, int offset, int value) {
        putU16(b, offset, value >>> 16);
        putU16(b, offset + 2, value);
    }
}
