package io.smcd.sim.clc;

import java.nio.ByteBuffer;

/**
 * Wire layout of {@link ClcDecline}: the kernel's v2 Decline ({@code smc_clc_msg_decline_v2}). Offsets are from the
 * message start; big-endian. Stateless and thread-safe.
 *
 * <pre>
 *  offset
 *       0 +---------------------------------------------------------------+
 *         | header: "SMCR", type 4, length 44, version 2,                 |
 *         |         typev2 = out of sync (0b10) or 0, typev1 D            |
 *       8 | id_for_peer[8]          0 (SMC-R system id)                   |
 *      16 | peer_diagnosis    u32   the sender's reason code              |
 *      20 | os_type bits 7-4 (2 Linux); bits 3-0 reserved                 |
 *      21 | reserved[3]                                                   |
 *      24 | peer_diagnosis_v2[4] u32 further reason codes                 |
 *      40 +--- trailer "SMCR" --------------------------------------------+
 *  length = 44
 * </pre>
 *
 * <p>The decoder ignores {@code id_for_peer}, {@code os_type} and the reserved bytes.
 */
public final class ClcDeclineCodec {
    public static final int ID_FOR_PEER_OFFSET = ClcHeader.HEADER_LENGTH;
    public static final int ID_FOR_PEER_LENGTH = 8;
    public static final int PEER_DIAGNOSIS_OFFSET = ID_FOR_PEER_OFFSET + ID_FOR_PEER_LENGTH;
    /** {@code os_type} is the high nibble of this byte. */
    public static final int OS_TYPE_OFFSET = PEER_DIAGNOSIS_OFFSET + Integer.BYTES;
    public static final int RESERVED_OFFSET = OS_TYPE_OFFSET + Byte.BYTES;
    public static final int RESERVED_LENGTH = 3;
    public static final int PEER_DIAGNOSIS_V2_OFFSET = RESERVED_OFFSET + RESERVED_LENGTH;
    public static final int TRAILER_OFFSET = PEER_DIAGNOSIS_V2_OFFSET
            + ClcDecline.PEER_DIAGNOSIS_V2_COUNT * Integer.BYTES;
    public static final int LENGTH = TRAILER_OFFSET + ClcHeader.TRAILER_LENGTH;

    private static final int OS_TYPE_SHIFT = 4;

    private ClcDeclineCodec() {
    }

    /** Writes {@code d} at index 0 of {@code m}, a big-endian buffer of at least {@link #LENGTH} bytes. */
    static void encode(ClcDecline d, ByteBuffer m) {
        for (int i = 0; i < LENGTH; i++) {
            m.put(i, (byte) 0);
        }
        ClcHeader.writeFrame(m, ClcHeader.TYPE_DECLINE, LENGTH, d.outOfSync() ? ClcHeader.TYPEV2_OUT_OF_SYNC : 0,
                ClcHeader.SMC_TYPE_D);
        m.putInt(PEER_DIAGNOSIS_OFFSET, d.peerDiagnosis());
        m.put(OS_TYPE_OFFSET, (byte) (ClcHeader.OS_TYPE_LINUX << OS_TYPE_SHIFT));
        int[] v2 = d.peerDiagnosisV2();
        for (int i = 0; i < v2.length; i++) {
            m.putInt(PEER_DIAGNOSIS_V2_OFFSET + i * Integer.BYTES, v2[i]);
        }
    }

    /**
     * Decodes the Decline in {@code m}, a big-endian view of exactly {@link #LENGTH} bytes whose header and trailer
     * {@link ClcCodec} has validated.
     */
    static ClcDecline decode(ByteBuffer m, boolean outOfSync) {
        int[] v2 = new int[ClcDecline.PEER_DIAGNOSIS_V2_COUNT];
        for (int i = 0; i < v2.length; i++) {
            v2[i] = m.getInt(PEER_DIAGNOSIS_V2_OFFSET + i * Integer.BYTES);
        }
        return new ClcDecline(m.getInt(PEER_DIAGNOSIS_OFFSET), outOfSync, v2);
    }
}
