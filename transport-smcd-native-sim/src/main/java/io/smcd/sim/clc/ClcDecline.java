package io.smcd.sim.clc;

import io.smcd.sim.SmcdReason;
import java.util.Arrays;

/**
 * SMC-Dv2 CLC Decline: the sender falls back to TCP and says why. Wire layout: {@link ClcDeclineCodec}. Immutable
 * and thread-safe: the array is copied in and out.
 *
 * @param peerDiagnosis   the sender's reason code, an {@link SmcdReason} value
 * @param outOfSync       whether the sender found the link group out of sync ({@code typev2} bit 1)
 * @param peerDiagnosisV2 exactly {@link #PEER_DIAGNOSIS_V2_COUNT} further reason codes (0 = none)
 */
public record ClcDecline(int peerDiagnosis, boolean outOfSync, int[] peerDiagnosisV2) implements ClcMessage {
    /** Number of {@code peer_diagnosis_v2} words. */
    public static final int PEER_DIAGNOSIS_V2_COUNT = 4;

    public ClcDecline {
        if (peerDiagnosisV2 == null || peerDiagnosisV2.length != PEER_DIAGNOSIS_V2_COUNT) {
            throw new IllegalArgumentException("peerDiagnosisV2.length="
                    + (peerDiagnosisV2 == null ? "null" : String.valueOf(peerDiagnosisV2.length))
                    + " must be " + PEER_DIAGNOSIS_V2_COUNT);
        }
        peerDiagnosisV2 = peerDiagnosisV2.clone();
    }

    /** A Decline without further codes, out of sync iff the reason is {@link SmcdReason#SYNCERR}, as in the kernel. */
    public ClcDecline(int peerDiagnosis) {
        this(peerDiagnosis, peerDiagnosis == SmcdReason.SYNCERR, new int[PEER_DIAGNOSIS_V2_COUNT]);
    }

    /** A copy of the further reason codes. */
    @Override
    public int[] peerDiagnosisV2() {
        return peerDiagnosisV2.clone();
    }

    /** {@link ClcHeader#TYPE_DECLINE}. */
    @Override
    public int type() {
        return ClcHeader.TYPE_DECLINE;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClcDecline other
                && peerDiagnosis == other.peerDiagnosis
                && outOfSync == other.outOfSync
                && Arrays.equals(peerDiagnosisV2, other.peerDiagnosisV2);
    }

    @Override
    public int hashCode() {
        return (Integer.hashCode(peerDiagnosis) * 31 + Boolean.hashCode(outOfSync)) * 31
                + Arrays.hashCode(peerDiagnosisV2);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ClcDecline[peerDiagnosis=").append(SmcdReason.name(peerDiagnosis))
                .append(", outOfSync=").append(outOfSync).append(", peerDiagnosisV2=[");
        for (int i = 0; i < peerDiagnosisV2.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(SmcdReason.name(peerDiagnosisV2[i]));
        }
        return sb.append("]]").toString();
    }
}
