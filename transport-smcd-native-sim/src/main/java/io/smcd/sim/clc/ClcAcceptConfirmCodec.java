package io.smcd.sim.clc;

import io.smcd.sim.Gid;
import java.nio.ByteBuffer;

/**
 * Wire layout of {@link ClcAcceptConfirm}: the kernel's SMC-Dv2 Accept/Confirm ({@code smc_clc_msg_accept_confirm}
 * with {@code smcd_v2} and, on first contact, {@code smc_clc_first_contact_ext_v2x}). Offsets are from the message
 * start; big-endian. Stateless and thread-safe.
 *
 * <pre>
 *  offset
 *       0 +---------------------------------------------------------------+
 *         | header: "SMCD", type 2 or 3, length 78 or 130, version 2,     |
 *         |         typev2 = first contact (0b10) or 0, typev1 D          |
 *       8 | gid               u64   the sender's GID, high 64 bits        |
 *      16 | token             u64   the sender's own DMB token            |
 *      24 | dmbe_idx          u8    0                                     |
 *      25 | dmbe_size         bits 7-4 size code; bits 3-0 reserved       |
 *      26 | smcd: dmb generation u16 (the kernel's reserved[2])           |
 *      28 | linkid            u32   link group id                         |
 *      32 | chid              u16   CHID of the chosen device             |
 *      34 | eid[32]                 negotiated EID, blank-padded, or 0s   |
 *      66 | gid_ext           u64   the sender's GID, low 64 bits         |
 *      74 +--- first-contact extension (first contact only, 52 B) --------+
 *      74 | v2_direct bit 7         0 (SMC-R only); bits 6-0 reserved     |
 *      75 | os_type bits 7-4 (2 Linux) | release bits 3-0 (1)             |
 *      76 | reserved[2]                                                   |
 *      78 | hostname[32]            blanks: smcd sends no host name       |
 *     110 | max_conns, max_links    0 (SMC-R)                             |
 *     112 | feature_mask      u16   bit 0 SMC_SPF_EMULATED_ISM_DEV        |
 *     114 | vendor_exp_options u32  0                                     |
 *     118 | reserved[8]                                                   |
 *  74/126 +--- trailer "SMCD" --------------------------------------------+
 *  length = 78, or 130 with the first-contact extension
 * </pre>
 *
 * <p>The one departure from the kernel layout: the DMB's lease generation in the kernel's {@code reserved[2]}, so that
 * a DMB reused by a link group is never taken for an earlier lease of it.
 *
 * <p>The decoder requires {@code dmbe_idx} = 0, a printable (or all-zero) EID, and in the extension a release of at
 * least 1 and the Emulated-ISM feature bit. It ignores the reserved bytes, {@code v2_direct}, {@code os_type},
 * {@code hostname}, the SMC-R limits, the other feature bits and {@code vendor_exp_options}.
 */
public final class ClcAcceptConfirmCodec {
    public static final int GID_OFFSET = ClcHeader.HEADER_LENGTH;
    public static final int TOKEN_OFFSET = GID_OFFSET + Long.BYTES;
    public static final int DMBE_IDX_OFFSET = TOKEN_OFFSET + Long.BYTES;
    /** The size code is the high nibble of this byte. */
    public static final int DMBE_SIZE_OFFSET = DMBE_IDX_OFFSET + Byte.BYTES;
    /** smcd extension in the kernel's {@code reserved[2]}: the low 16 bits of the DMB's lease generation. */
    public static final int DMB_GENERATION_OFFSET = DMBE_SIZE_OFFSET + Byte.BYTES;
    public static final int LINK_ID_OFFSET = DMB_GENERATION_OFFSET + Short.BYTES;
    public static final int CHID_OFFSET = LINK_ID_OFFSET + Integer.BYTES;
    public static final int EID_OFFSET = CHID_OFFSET + Short.BYTES;
    public static final int GID_EXT_OFFSET = EID_OFFSET + ClcHeader.EID_LENGTH;
    public static final int FCE_OFFSET = GID_EXT_OFFSET + Long.BYTES;

    // First-contact extension (struct smc_clc_first_contact_ext_v2x).
    /** {@code v2_direct} is bit 7 of this byte. */
    public static final int FCE_V2_DIRECT_OFFSET = FCE_OFFSET;
    /** {@code os_type} in bits 7-4 and {@code release} in bits 3-0 of this byte. */
    public static final int FCE_OS_TYPE_RELEASE_OFFSET = FCE_V2_DIRECT_OFFSET + Byte.BYTES;
    public static final int FCE_RESERVED_OFFSET = FCE_OS_TYPE_RELEASE_OFFSET + Byte.BYTES;
    public static final int FCE_RESERVED_LENGTH = 2;
    public static final int FCE_HOSTNAME_OFFSET = FCE_RESERVED_OFFSET + FCE_RESERVED_LENGTH;
    public static final int HOSTNAME_LENGTH = 32;
    public static final int FCE_MAX_CONNS_OFFSET = FCE_HOSTNAME_OFFSET + HOSTNAME_LENGTH;
    public static final int FCE_MAX_LINKS_OFFSET = FCE_MAX_CONNS_OFFSET + Byte.BYTES;
    public static final int FCE_FEATURE_MASK_OFFSET = FCE_MAX_LINKS_OFFSET + Byte.BYTES;
    public static final int FCE_VENDOR_EXP_OPTIONS_OFFSET = FCE_FEATURE_MASK_OFFSET + Short.BYTES;
    public static final int FCE_RESERVED2_OFFSET = FCE_VENDOR_EXP_OPTIONS_OFFSET + Integer.BYTES;
    public static final int FCE_RESERVED2_LENGTH = 8;
    public static final int FCE_LENGTH = FCE_RESERVED2_OFFSET + FCE_RESERVED2_LENGTH - FCE_OFFSET;

    /** Without the first-contact extension ({@code SMCD_CLC_ACCEPT_CONFIRM_LEN_V2}). */
    public static final int LENGTH = FCE_OFFSET + ClcHeader.TRAILER_LENGTH;
    /** With the first-contact extension. */
    public static final int FIRST_CONTACT_LENGTH = LENGTH + FCE_LENGTH;

    private static final int NIBBLE_SHIFT = 4;
    private static final int NIBBLE_MASK = 0xF;
    private static final byte BLANK = ' ';

    private ClcAcceptConfirmCodec() {
    }

    /** The length of a message with or without the first-contact extension. */
    public static int length(boolean firstContact) {
        return firstContact ? FIRST_CONTACT_LENGTH : LENGTH;
    }

    /** Writes {@code a} at index 0 of {@code m}, a big-endian buffer of at least {@link #length(boolean)} bytes. */
    static void encode(ClcAcceptConfirm a, ByteBuffer m) {
        int length = length(a.firstContact());
        for (int i = 0; i < length; i++) {
            m.put(i, (byte) 0);
        }
        ClcHeader.writeFrame(m, a.type(), length, a.firstContact() ? ClcHeader.TYPEV2_FIRST_CONTACT : 0,
                ClcHeader.SMC_TYPE_D);
        m.putLong(GID_OFFSET, a.gid().gid());
        m.putLong(TOKEN_OFFSET, a.dmbToken());
        m.put(DMBE_SIZE_OFFSET, (byte) (a.dmbSizeCode() << NIBBLE_SHIFT));
        m.putShort(DMB_GENERATION_OFFSET, (short) a.dmbGeneration());
        m.putInt(LINK_ID_OFFSET, a.linkId());
        m.putShort(CHID_OFFSET, (short) a.chid());
        ClcEid.write(m, EID_OFFSET, a.eid());
        m.putLong(GID_EXT_OFFSET, a.gid().gidExt());
        if (a.firstContact()) {
            m.put(FCE_OS_TYPE_RELEASE_OFFSET, (byte) (ClcHeader.OS_TYPE_LINUX << NIBBLE_SHIFT | ClcHeader.RELEASE_1));
            for (int i = 0; i < HOSTNAME_LENGTH; i++) {
                m.put(FCE_HOSTNAME_OFFSET + i, BLANK);
            }
            m.putShort(FCE_FEATURE_MASK_OFFSET, (short) ClcHeader.FEATURE_EMULATED_ISM_DEV);
        }
    }

    /**
     * Decodes the Accept or Confirm in {@code m}, a big-endian view of exactly one message whose header and trailer
     * {@link ClcCodec} has validated, including that the length matches the first-contact bit.
     */
    static ClcAcceptConfirm decode(ByteBuffer m, int type, boolean firstContact) throws ClcFormatException {
        int dmbeIdx = Byte.toUnsignedInt(m.get(DMBE_IDX_OFFSET));
        if (dmbeIdx != 0) {
            throw new ClcFormatException(ClcError.BAD_FIELD, "dmbe_idx=" + dmbeIdx + " but SMC-D uses 0");
        }
        String eid = ClcEid.read(m, EID_OFFSET, true);
        if (eid == null) {
            throw new ClcFormatException(ClcError.BAD_FIELD,
                    "eid is neither all zero nor 1-32 printable non-blank ASCII characters, blank-padded");
        }
        if (firstContact) {
            int release = Byte.toUnsignedInt(m.get(FCE_OS_TYPE_RELEASE_OFFSET)) & NIBBLE_MASK;
            if (release < ClcHeader.RELEASE_1) {
                throw new ClcFormatException(ClcError.BAD_FIELD, "fce release=" + release
                        + " predates Emulated-ISM (release " + ClcHeader.RELEASE_1 + ")");
            }
            int featureMask = Short.toUnsignedInt(m.getShort(FCE_FEATURE_MASK_OFFSET));
            if ((featureMask & ClcHeader.FEATURE_EMULATED_ISM_DEV) == 0) {
                throw new ClcFormatException(ClcError.BAD_FIELD, "fce feature_mask=0x"
                        + Integer.toHexString(featureMask) + " lacks SMC_SPF_EMULATED_ISM_DEV");
            }
        }
        int sizeCode = Byte.toUnsignedInt(m.get(DMBE_SIZE_OFFSET)) >>> NIBBLE_SHIFT;
        return new ClcAcceptConfirm(type, new Gid(m.getLong(GID_OFFSET), m.getLong(GID_EXT_OFFSET)),
                m.getLong(TOKEN_OFFSET), sizeCode, Short.toUnsignedInt(m.getShort(DMB_GENERATION_OFFSET)),
                m.getInt(LINK_ID_OFFSET),
                Short.toUnsignedInt(m.getShort(CHID_OFFSET)), eid, firstContact);
    }
}
