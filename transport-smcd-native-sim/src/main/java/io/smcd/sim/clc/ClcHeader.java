package io.smcd.sim.clc;

import java.nio.ByteBuffer;

/**
 * The 8-byte header and 4-byte trailer every CLC message carries ({@code struct smc_clc_msg_hdr} and
 * {@code smc_clc_msg_trail}), and the protocol values shared by several CLC layouts. All multi-byte fields are
 * big-endian. Stateless and thread-safe.
 *
 * <pre>
 *  offset
 *       0 +---------------------------------------------------------------+
 *         | eyecatcher  4 B  E2 D4 C3 D9 "SMCR" (EBCDIC): Proposal,       |
 *         |                  Decline; E2 D4 C3 C4 "SMCD": SMC-D Accept,   |
 *         |                  Confirm                                      |
 *       4 | type        u8   1 Proposal, 2 Accept, 3 Confirm, 4 Decline   |
 *       5 | length      u16  whole message, header and trailer included   |
 *       7 | bits 7-4 version (2) | bits 3-2 typev2 | bits 1-0 typev1      |
 *       8 +---------------------------------------------------------------+
 *         | message body                                                  |
 *  len-4  +---------------------------------------------------------------+
 *         | trailer     4 B  the header's eyecatcher again                |
 *  len    +---------------------------------------------------------------+
 * </pre>
 *
 * <p>{@code typev1} and {@code typev2} hold an SMC type ({@link #SMC_TYPE_R} .. {@link #SMC_TYPE_B}). smcd sends:
 * <ul>
 *   <li>Proposal: {@code typev1} = N (no v1 offer, hence no IP prefix area), {@code typev2} = D (SMC-Dv2 offered);
 *   <li>Accept and Confirm: {@code typev1} = D, {@code typev2} = {@link #TYPEV2_FIRST_CONTACT} or 0;
 *   <li>Decline: {@code typev1} = D, {@code typev2} = {@link #TYPEV2_OUT_OF_SYNC} or 0.
 * </ul>
 * The decoder accepts exactly these values.
 */
public final class ClcHeader {
    /** {@code "SMCR"} in EBCDIC: Proposal and Decline (and every SMC-R message). */
    public static final int EYECATCHER_SMCR = 0xE2D4C3D9;
    /** {@code "SMCD"} in EBCDIC: SMC-D Accept and Confirm. */
    public static final int EYECATCHER_SMCD = 0xE2D4C3C4;
    public static final int EYECATCHER_LENGTH = Integer.BYTES;

    public static final int EYECATCHER_OFFSET = 0;
    public static final int TYPE_OFFSET = EYECATCHER_OFFSET + EYECATCHER_LENGTH;
    public static final int LENGTH_OFFSET = TYPE_OFFSET + Byte.BYTES;
    /** The byte holding {@code version}, {@code typev2} and {@code typev1}. */
    public static final int VERSION_OFFSET = LENGTH_OFFSET + Short.BYTES;
    public static final int HEADER_LENGTH = VERSION_OFFSET + Byte.BYTES;
    public static final int TRAILER_LENGTH = EYECATCHER_LENGTH;

    public static final int TYPE_PROPOSAL = 1;
    public static final int TYPE_ACCEPT = 2;
    public static final int TYPE_CONFIRM = 3;
    public static final int TYPE_DECLINE = 4;

    /** The only version smcd speaks (SMCv2). */
    public static final int VERSION_2 = 2;

    /** SMC type: SMC-R only. */
    public static final int SMC_TYPE_R = 0;
    /** SMC type: SMC-D only. */
    public static final int SMC_TYPE_D = 1;
    /** SMC type: neither. */
    public static final int SMC_TYPE_N = 2;
    /** SMC type: both. */
    public static final int SMC_TYPE_B = 3;

    /** In an Accept or Confirm's {@code typev2}: the connection starts a new link group. */
    public static final int TYPEV2_FIRST_CONTACT = 0b10;
    /** In a Decline's {@code typev2}: the sender found the link group out of sync. Same bit as first contact. */
    public static final int TYPEV2_OUT_OF_SYNC = 0b10;

    /** The largest message smcd reads; longer lengths are {@link ClcError#OVERSIZED}. */
    public static final int MAX_MESSAGE_LENGTH = 1024;

    /** Length of an EID field: 32 ASCII bytes, blank-padded. */
    public static final int EID_LENGTH = 32;
    /** SMCv2.1 ({@code SMC_RELEASE_1}): the first release with Emulated-ISM devices, and the one smcd sends. */
    public static final int RELEASE_1 = 1;
    /** {@code feature_mask} bit {@code SMC_SPF_EMULATED_ISM_DEV}: Emulated-ISM devices are supported. */
    public static final int FEATURE_EMULATED_ISM_DEV = 1;
    /** {@code os_type} value for Linux, which smcd sends. */
    public static final int OS_TYPE_LINUX = 2;

    private static final int VERSION_SHIFT = 4;
    private static final int TYPEV2_SHIFT = 2;
    private static final int TYPE_BITS_MASK = 0b11;

    private ClcHeader() {
    }

    /** The eyecatcher a message of {@code type} must carry, or 0 for an unknown type. */
    public static int eyecatcherOf(int type) {
        switch (type) {
            case TYPE_PROPOSAL:
            case TYPE_DECLINE:
                return EYECATCHER_SMCR;
            case TYPE_ACCEPT:
            case TYPE_CONFIRM:
                return EYECATCHER_SMCD;
            default:
                return 0;
        }
    }

    /** The kernel name of a message type, for messages and logs. */
    public static String typeName(int type) {
        switch (type) {
            case TYPE_PROPOSAL: return "PROPOSAL";
            case TYPE_ACCEPT: return "ACCEPT";
            case TYPE_CONFIRM: return "CONFIRM";
            case TYPE_DECLINE: return "DECLINE";
            default: return "type " + type;
        }
    }

    /** The version nibble of header byte 7. */
    static int version(int versionByte) {
        return (versionByte >>> VERSION_SHIFT) & 0xF;
    }

    /** The {@code typev2} bits of header byte 7. */
    static int typev2(int versionByte) {
        return (versionByte >>> TYPEV2_SHIFT) & TYPE_BITS_MASK;
    }

    /** The {@code typev1} bits of header byte 7. */
    static int typev1(int versionByte) {
        return versionByte & TYPE_BITS_MASK;
    }

    /** Header byte 7 for version 2 with the given type bits. */
    static byte versionByte(int typev2, int typev1) {
        return (byte) (VERSION_2 << VERSION_SHIFT | (typev2 & TYPE_BITS_MASK) << TYPEV2_SHIFT
                | (typev1 & TYPE_BITS_MASK));
    }

    /**
     * Writes the header at index 0 and the trailer at {@code length - TRAILER_LENGTH} of {@code m}, a big-endian
     * view of exactly one message.
     */
    static void writeFrame(ByteBuffer m, int type, int length, int typev2, int typev1) {
        int eyecatcher = eyecatcherOf(type);
        m.putInt(EYECATCHER_OFFSET, eyecatcher);
        m.put(TYPE_OFFSET, (byte) type);
        m.putShort(LENGTH_OFFSET, (short) length);
        m.put(VERSION_OFFSET, versionByte(typev2, typev1));
        m.putInt(length - TRAILER_LENGTH, eyecatcher);
    }
}
