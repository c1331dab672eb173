package io.smcd.sim.clc;

import io.smcd.sim.DmbSize;
import io.smcd.sim.Gid;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Wire layout of {@link ClcProposal}: the kernel's SMCv2 proposal ({@code smc_clc_msg_proposal},
 * {@code smc_clc_msg_smcd}, {@code smc_clc_v2_extension}, {@code smc_clc_smcd_v2_extension}) offering SMC-Dv2 only,
 * so without the IP prefix area. Offsets are from the message start; big-endian. Stateless and thread-safe.
 *
 * <pre>
 *  offset
 *       0 +--- base ------------------------------------------------------+
 *         | header: "SMCR", type 1, length, version 2, typev2 D, typev1 N |
 *       8 | id_for_peer[8]          0 (SMC-R system id)                   |
 *      16 | gid[16]                 0 (RoCE GID, SMC-R)                   |
 *      32 | mac[6]                  0 (SMC-R)                             |
 *      38 | iparea_offset     u16   0: no IP prefix area (no v1 offer)    |
 *      40 +--- SMC-D area ------------------------------------------------+
 *      40 | ism.gid           u64   0: no v1 native ISM device            |
 *      48 | ism.chid          u16   0                                     |
 *      50 | v2_ext_offset     u16   28: from the end of this field (52)   |
 *      52 | vendor_oui[3]           0                                     |
 *      55 | vendor_exp_options[5]   0                                     |
 *      60 | reserved[20]      smcd: DMB token u64 at 60,                  |
 *      68 |                   smcd: DMB size code u8 (0..15) at 68,       |
 *      69 |                   smcd: DMB generation u16 at 69,             |
 *      71 |                         9 bytes 0                             |
 *      80 +--- v2 extension (40 B + 32 B x e) ----------------------------+
 *      80 | eid_cnt           u8    e, 0..8                               |
 *      81 | ism_gid_cnt       u8    n = 2 x devices, 2..8                 |
 *      82 | reserved1               0                                     |
 *      83 | flag              u8    release (1) in bits 7-4, seid bit 0   |
 *      84 | reserved2[2]            0                                     |
 *      86 | smcd_v2_ext_offset u16  32 + 32e: from the end of this field  |
 *      88 | roce[16]                0 (RoCEv2 GID)                        |
 *     104 | max_conns, max_links    0 (SMC-R)                             |
 *     106 | feature_mask      u16   bit 0 SMC_SPF_EMULATED_ISM_DEV        |
 *     108 | reserved[12]            0                                     |
 *     120 | user_eids[e][32]        ASCII, blank-padded                   |
 * 120+32e +--- SMC-D v2 extension (48 B + 10 B x n) ----------------------+
 *      +0 | system_eid[32]          0 (no SEID)                           |
 *     +32 | reserved[16]            0                                     |
 *     +48 | n entries {gid u64, chid u16}; device i takes two:            |
 *         |   (gid.gid, chid) then (gid.gidExt, chid)                     |
 *         +--- trailer "SMCR" --------------------------------------------+
 *  length = 172 + 32e + 10n, from 192 (e = 0, n = 2) to 508 (e = 8, n = 8)
 * </pre>
 *
 * <p><b>The one departure from the kernel layout:</b> the proposer's DMB token, size code and lease generation occupy
 * the first 11 bytes of the SMC-D area's {@code reserved[20]}. The kernel client sends no buffer in its proposal; smcd's client creates
 * its DMB before proposing, so that nothing can fail after the Confirm. The sender GID has no slot: it is the first
 * device's GID (see {@link ClcProposal}).
 *
 * <p>The decoder requires the layout above exactly: {@code iparea_offset}, {@code v2_ext_offset} and
 * {@code smcd_v2_ext_offset} at their values ({@link ClcError#BAD_OFFSET}), counts within limits, the length equal to
 * what the counts give, release at least 1, the Emulated-ISM feature bit, printable EIDs, and both entries of a device
 * with the same CHID. It ignores the fields marked 0 above (SMC-R and v1 fields, vendor fields, reserved bytes,
 * {@code system_eid}), the {@code seid} bit and the other feature bits, and writes them as 0.
 */
public final class ClcProposalCodec {
    // Base (struct smc_clc_msg_proposal).
    public static final int ID_FOR_PEER_OFFSET = ClcHeader.HEADER_LENGTH;
    public static final int ID_FOR_PEER_LENGTH = 8;
    public static final int ROCE_GID_OFFSET = ID_FOR_PEER_OFFSET + ID_FOR_PEER_LENGTH;
    public static final int ROCE_GID_LENGTH = 16;
    public static final int MAC_OFFSET = ROCE_GID_OFFSET + ROCE_GID_LENGTH;
    public static final int MAC_LENGTH = 6;
    public static final int IPAREA_OFFSET_OFFSET = MAC_OFFSET + MAC_LENGTH;
    public static final int BASE_LENGTH = IPAREA_OFFSET_OFFSET + Short.BYTES;

    // SMC-D area (struct smc_clc_msg_smcd).
    public static final int SMCD_AREA_OFFSET = BASE_LENGTH;
    public static final int NATIVE_GID_OFFSET = SMCD_AREA_OFFSET;
    public static final int NATIVE_CHID_OFFSET = NATIVE_GID_OFFSET + Long.BYTES;
    public static final int V2_EXT_OFFSET_OFFSET = NATIVE_CHID_OFFSET + Short.BYTES;
    public static final int VENDOR_OUI_OFFSET = V2_EXT_OFFSET_OFFSET + Short.BYTES;
    public static final int VENDOR_OUI_LENGTH = 3;
    public static final int VENDOR_EXP_OPTIONS_OFFSET = VENDOR_OUI_OFFSET + VENDOR_OUI_LENGTH;
    public static final int VENDOR_EXP_OPTIONS_LENGTH = 5;
    public static final int SMCD_RESERVED_OFFSET = VENDOR_EXP_OPTIONS_OFFSET + VENDOR_EXP_OPTIONS_LENGTH;
    public static final int SMCD_RESERVED_LENGTH = 20;
    /** smcd extension inside {@code reserved[20]}: the proposer's DMB token. */
    public static final int DMB_TOKEN_OFFSET = SMCD_RESERVED_OFFSET;
    /** smcd extension inside {@code reserved[20]}: the proposer's DMB size code, a whole byte. */
    public static final int DMB_SIZE_CODE_OFFSET = DMB_TOKEN_OFFSET + Long.BYTES;
    /** smcd extension inside {@code reserved[20]}: the low 16 bits of the DMB's lease generation. */
    public static final int DMB_GENERATION_OFFSET = DMB_SIZE_CODE_OFFSET + Byte.BYTES;
    public static final int SMCD_AREA_LENGTH = SMCD_RESERVED_OFFSET + SMCD_RESERVED_LENGTH - SMCD_AREA_OFFSET;

    // v2 extension (struct smc_clc_v2_extension), right after the SMC-D area.
    public static final int V2_EXT_START = SMCD_AREA_OFFSET + SMCD_AREA_LENGTH;
    public static final int EID_CNT_OFFSET = V2_EXT_START;
    public static final int ISM_GID_CNT_OFFSET = EID_CNT_OFFSET + Byte.BYTES;
    public static final int V2_RESERVED1_OFFSET = ISM_GID_CNT_OFFSET + Byte.BYTES;
    public static final int V2_FLAG_OFFSET = V2_RESERVED1_OFFSET + Byte.BYTES;
    public static final int V2_RESERVED2_OFFSET = V2_FLAG_OFFSET + Byte.BYTES;
    public static final int V2_RESERVED2_LENGTH = 2;
    public static final int SMCD_V2_EXT_OFFSET_OFFSET = V2_RESERVED2_OFFSET + V2_RESERVED2_LENGTH;
    public static final int ROCE_V2_GID_OFFSET = SMCD_V2_EXT_OFFSET_OFFSET + Short.BYTES;
    public static final int MAX_CONNS_OFFSET = ROCE_V2_GID_OFFSET + ROCE_GID_LENGTH;
    public static final int MAX_LINKS_OFFSET = MAX_CONNS_OFFSET + Byte.BYTES;
    public static final int FEATURE_MASK_OFFSET = MAX_LINKS_OFFSET + Byte.BYTES;
    public static final int V2_RESERVED_OFFSET = FEATURE_MASK_OFFSET + Short.BYTES;
    public static final int V2_RESERVED_LENGTH = 12;
    public static final int EIDS_OFFSET = V2_RESERVED_OFFSET + V2_RESERVED_LENGTH;
    public static final int V2_EXT_FIXED_LENGTH = EIDS_OFFSET - V2_EXT_START;

    // SMC-D v2 extension (struct smc_clc_smcd_v2_extension), after the EIDs; offsets relative to its start.
    public static final int SYSTEM_EID_RELATIVE = 0;
    public static final int SMCD_V2_RESERVED_RELATIVE = SYSTEM_EID_RELATIVE + ClcHeader.EID_LENGTH;
    public static final int SMCD_V2_RESERVED_LENGTH = 16;
    public static final int GID_CHIDS_RELATIVE = SMCD_V2_RESERVED_RELATIVE + SMCD_V2_RESERVED_LENGTH;
    public static final int SMCD_V2_EXT_FIXED_LENGTH = GID_CHIDS_RELATIVE;
    /** One {@code struct smc_clc_smcd_gid_chid}: gid u64 then chid u16, packed. */
    public static final int GID_CHID_LENGTH = Long.BYTES + Short.BYTES;
    public static final int GID_CHID_CHID_RELATIVE = Long.BYTES;
    /** GID/CHID entries per Emulated-ISM device. */
    public static final int ENTRIES_PER_DEVICE = 2;
    public static final int MAX_GID_CHIDS = ClcProposal.MAX_DEVICES * ENTRIES_PER_DEVICE;

    /** {@code v2_ext_offset} counts from the end of its own field. */
    public static final int V2_EXT_OFFSET_VALUE = V2_EXT_START - (V2_EXT_OFFSET_OFFSET + Short.BYTES);
    /** Release nibble position in the v2 flag byte. */
    public static final int RELEASE_SHIFT = 4;

    public static final int MIN_LENGTH = length(0, ENTRIES_PER_DEVICE);
    public static final int MAX_LENGTH = length(ClcProposal.MAX_EIDS, MAX_GID_CHIDS);

    private ClcProposalCodec() {
    }

    /** The message length for {@code eidCnt} EIDs and {@code gidChidCnt} GID/CHID entries. */
    public static int length(int eidCnt, int gidChidCnt) {
        return smcdV2ExtStart(eidCnt) + SMCD_V2_EXT_FIXED_LENGTH + gidChidCnt * GID_CHID_LENGTH
                + ClcHeader.TRAILER_LENGTH;
    }

    /** Where the SMC-D v2 extension starts after {@code eidCnt} EIDs. */
    public static int smcdV2ExtStart(int eidCnt) {
        return EIDS_OFFSET + eidCnt * ClcHeader.EID_LENGTH;
    }

    /** The {@code smcd_v2_ext_offset} value for {@code eidCnt} EIDs: it counts from the end of its own field. */
    public static int smcdV2ExtOffsetValue(int eidCnt) {
        return smcdV2ExtStart(eidCnt) - (SMCD_V2_EXT_OFFSET_OFFSET + Short.BYTES);
    }

    static int length(ClcProposal p) {
        return length(p.eids().size(), p.devices().size() * ENTRIES_PER_DEVICE);
    }

    /** Writes {@code p} at index 0 of {@code m}, a big-endian buffer of at least {@link #length(ClcProposal)} bytes. */
    static void encode(ClcProposal p, ByteBuffer m) {
        int eidCnt = p.eids().size();
        int gidChidCnt = p.devices().size() * ENTRIES_PER_DEVICE;
        int length = length(eidCnt, gidChidCnt);
        for (int i = 0; i < length; i++) {
            m.put(i, (byte) 0);
        }
        ClcHeader.writeFrame(m, ClcHeader.TYPE_PROPOSAL, length, ClcHeader.SMC_TYPE_D, ClcHeader.SMC_TYPE_N);
        m.putShort(V2_EXT_OFFSET_OFFSET, (short) V2_EXT_OFFSET_VALUE);
        m.putLong(DMB_TOKEN_OFFSET, p.dmbToken());
        m.put(DMB_SIZE_CODE_OFFSET, (byte) p.dmbSizeCode());
        m.putShort(DMB_GENERATION_OFFSET, (short) p.dmbGeneration());
        m.put(EID_CNT_OFFSET, (byte) eidCnt);
        m.put(ISM_GID_CNT_OFFSET, (byte) gidChidCnt);
        m.put(V2_FLAG_OFFSET, (byte) (ClcHeader.RELEASE_1 << RELEASE_SHIFT));
        m.putShort(SMCD_V2_EXT_OFFSET_OFFSET, (short) smcdV2ExtOffsetValue(eidCnt));
        m.putShort(FEATURE_MASK_OFFSET, (short) ClcHeader.FEATURE_EMULATED_ISM_DEV);
        for (int i = 0; i < eidCnt; i++) {
            ClcEid.write(m, EIDS_OFFSET + i * ClcHeader.EID_LENGTH, p.eids().get(i));
        }
        int entry = smcdV2ExtStart(eidCnt) + GID_CHIDS_RELATIVE;
        for (ClcDevice device : p.devices()) {
            m.putLong(entry, device.gid().gid());
            m.putShort(entry + GID_CHID_CHID_RELATIVE, (short) device.chid());
            entry += GID_CHID_LENGTH;
            m.putLong(entry, device.gid().gidExt());
            m.putShort(entry + GID_CHID_CHID_RELATIVE, (short) device.chid());
            entry += GID_CHID_LENGTH;
        }
    }

    /**
     * Decodes the proposal in {@code m}, a big-endian view of exactly {@code length} bytes whose header and trailer
     * {@link ClcCodec} has validated ({@code length} is within [{@link #MIN_LENGTH}, {@link #MAX_LENGTH}]).
     */
    static ClcProposal decode(ByteBuffer m, int length) throws ClcFormatException {
        int ipareaOffset = Short.toUnsignedInt(m.getShort(IPAREA_OFFSET_OFFSET));
        if (ipareaOffset != 0) {
            throw new ClcFormatException(ClcError.BAD_OFFSET, "iparea_offset=" + ipareaOffset
                    + " but a v2-only proposal has no IP prefix area");
        }
        int v2ExtOffset = Short.toUnsignedInt(m.getShort(V2_EXT_OFFSET_OFFSET));
        if (v2ExtOffset != V2_EXT_OFFSET_VALUE) {
            throw new ClcFormatException(ClcError.BAD_OFFSET, "v2_ext_offset=" + v2ExtOffset + " expected="
                    + V2_EXT_OFFSET_VALUE);
        }
        int eidCnt = Byte.toUnsignedInt(m.get(EID_CNT_OFFSET));
        if (eidCnt > ClcProposal.MAX_EIDS) {
            throw new ClcFormatException(ClcError.BAD_FIELD, "eid_cnt=" + eidCnt + " max=" + ClcProposal.MAX_EIDS);
        }
        int gidChidCnt = Byte.toUnsignedInt(m.get(ISM_GID_CNT_OFFSET));
        if (gidChidCnt < ENTRIES_PER_DEVICE || gidChidCnt > MAX_GID_CHIDS || gidChidCnt % ENTRIES_PER_DEVICE != 0) {
            throw new ClcFormatException(ClcError.BAD_FIELD, "ism_gid_cnt=" + gidChidCnt
                    + " is not an even number in [" + ENTRIES_PER_DEVICE + ", " + MAX_GID_CHIDS + "]");
        }
        int expected = length(eidCnt, gidChidCnt);
        if (length != expected) {
            throw new ClcFormatException(ClcError.BAD_LENGTH, "length=" + length + " but eid_cnt=" + eidCnt
                    + " ism_gid_cnt=" + gidChidCnt + " need " + expected);
        }
        int smcdV2ExtOffset = Short.toUnsignedInt(m.getShort(SMCD_V2_EXT_OFFSET_OFFSET));
        if (smcdV2ExtOffset != smcdV2ExtOffsetValue(eidCnt)) {
            throw new ClcFormatException(ClcError.BAD_OFFSET, "smcd_v2_ext_offset=" + smcdV2ExtOffset
                    + " expected=" + smcdV2ExtOffsetValue(eidCnt));
        }
        int release = Byte.toUnsignedInt(m.get(V2_FLAG_OFFSET)) >>> RELEASE_SHIFT;
        if (release < ClcHeader.RELEASE_1) {
            throw new ClcFormatException(ClcError.BAD_FIELD, "release=" + release
                    + " predates Emulated-ISM (release " + ClcHeader.RELEASE_1 + ")");
        }
        int featureMask = Short.toUnsignedInt(m.getShort(FEATURE_MASK_OFFSET));
        if ((featureMask & ClcHeader.FEATURE_EMULATED_ISM_DEV) == 0) {
            throw new ClcFormatException(ClcError.BAD_FIELD, "feature_mask=0x" + Integer.toHexString(featureMask)
                    + " lacks SMC_SPF_EMULATED_ISM_DEV");
        }
        int sizeCode = Byte.toUnsignedInt(m.get(DMB_SIZE_CODE_OFFSET));
        if (sizeCode > DmbSize.MAX_CODE) {
            throw new ClcFormatException(ClcError.BAD_FIELD, "dmb size code=" + sizeCode + " max=" + DmbSize.MAX_CODE);
        }
        List<String> eids = new ArrayList<>(eidCnt);
        for (int i = 0; i < eidCnt; i++) {
            String eid = ClcEid.read(m, EIDS_OFFSET + i * ClcHeader.EID_LENGTH, false);
            if (eid == null) {
                throw new ClcFormatException(ClcError.BAD_FIELD, "user_eids[" + i
                        + "] is not 1-32 printable non-blank ASCII characters, blank-padded");
            }
            eids.add(eid);
        }
        List<ClcDevice> devices = new ArrayList<>(gidChidCnt / ENTRIES_PER_DEVICE);
        int entry = smcdV2ExtStart(eidCnt) + GID_CHIDS_RELATIVE;
        for (int i = 0; i < gidChidCnt; i += ENTRIES_PER_DEVICE) {
            long gid = m.getLong(entry);
            int chid = Short.toUnsignedInt(m.getShort(entry + GID_CHID_CHID_RELATIVE));
            entry += GID_CHID_LENGTH;
            long gidExt = m.getLong(entry);
            int chidExt = Short.toUnsignedInt(m.getShort(entry + GID_CHID_CHID_RELATIVE));
            entry += GID_CHID_LENGTH;
            if (chid != chidExt) {
                throw new ClcFormatException(ClcError.BAD_FIELD, "gidchid[" + i + "].chid=" + chid + " but gidchid["
                        + (i + 1) + "].chid=" + chidExt + ": not one Emulated-ISM device");
            }
            devices.add(new ClcDevice(new Gid(gid, gidExt), chid));
        }
        return new ClcProposal(devices.get(0).gid(), devices, eids, m.getLong(DMB_TOKEN_OFFSET), sizeCode,
                Short.toUnsignedInt(m.getShort(DMB_GENERATION_OFFSET)));
    }
}
