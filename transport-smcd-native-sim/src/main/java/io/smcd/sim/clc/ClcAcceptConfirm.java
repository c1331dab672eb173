package io.smcd.sim.clc;

import io.smcd.sim.DmbSize;
import io.smcd.sim.Gid;

/**
 * SMC-Dv2 CLC Accept or Confirm: the sender's own GID and DMB (token, size, lease generation), the device and EID
 * chosen, the link group id, and whether this is a first contact: the Accept's DMB is new to the link group, so the
 * proposer must attach it and answers with a Confirm (or a Decline). Without first contact the proposer has the DMB
 * mapped already and sends nothing more: both sides run over SMC-D once the Accept is written. Wire layout: {@link ClcAcceptConfirmCodec}.
 * Immutable and thread-safe.
 *
 * @param type         {@link #ACCEPT} or {@link #CONFIRM}
 * @param gid          the sender's GID (on the wire: {@code gid} at offset 8 and {@code gid_ext} at offset 66)
 * @param dmbToken     the token of the sender's own DMB, which the peer will write into
 * @param dmbSizeCode  the size code of that DMB ({@code 16 KiB << code}), 0 to {@link DmbSize#MAX_CODE}
 * @param dmbGeneration the low 16 bits of that DMB's lease generation ({@link ClcProposal#GENERATION_MASK})
 * @param linkId       the link group id
 * @param chid         the CHID of the chosen device, an unsigned 16-bit value
 * @param eid          the negotiated EID (1-32 printable non-blank ASCII characters), or "" for none
 * @param firstContact whether the sender's DMB is new to the link group; adds the first-contact extension
 */
public record ClcAcceptConfirm(int type, Gid gid, long dmbToken, int dmbSizeCode, int dmbGeneration, int linkId,
        int chid, String eid, boolean firstContact) implements ClcMessage {
    /** {@link ClcHeader#TYPE_ACCEPT}. */
    public static final int ACCEPT = ClcHeader.TYPE_ACCEPT;
    /** {@link ClcHeader#TYPE_CONFIRM}. */
    public static final int CONFIRM = ClcHeader.TYPE_CONFIRM;

    public ClcAcceptConfirm {
        if (type != ACCEPT && type != CONFIRM) {
            throw new IllegalArgumentException("type=" + type + " is neither ACCEPT nor CONFIRM");
        }
        if (gid == null) {
            throw new IllegalArgumentException("gid=null");
        }
        if (dmbSizeCode < 0 || dmbSizeCode > DmbSize.MAX_CODE) {
            throw new IllegalArgumentException("dmbSizeCode=" + dmbSizeCode + " not in [0, " + DmbSize.MAX_CODE + "]");
        }
        if ((dmbGeneration & ~ClcProposal.GENERATION_MASK) != 0) {
            throw new IllegalArgumentException("dmbGeneration=" + dmbGeneration + " not in [0, "
                    + ClcProposal.GENERATION_MASK + "]");
        }
        if (chid < 0 || chid > ClcDevice.MAX_CHID) {
            throw new IllegalArgumentException("chid=" + chid + " not in [0, " + ClcDevice.MAX_CHID + "]");
        }
        if (eid == null || !eid.isEmpty() && !ClcEid.isValid(eid)) {
            throw new IllegalArgumentException("eid=" + (eid == null ? "null" : '"' + eid + '"')
                    + " is neither empty nor 1-32 printable non-blank ASCII characters");
        }
    }
}
