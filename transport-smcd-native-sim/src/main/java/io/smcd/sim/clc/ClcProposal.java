package io.smcd.sim.clc;

import io.smcd.sim.DmbSize;
import io.smcd.sim.Gid;
import java.util.List;

/**
 * CLC Proposal, the client's first message: the Emulated-ISM devices it offers in preference order, the UEIDs it
 * accepts, and its own DMB. Wire layout: {@link ClcProposalCodec}. Immutable and thread-safe.
 *
 * <p><b>Sender GID.</b> SMC-Dv2 has no field for "the client's GID": the client is identified by the device the
 * server picks from the list. smcd therefore defines {@code senderGid} as the GID of the first (preferred) device;
 * it takes no bytes of its own, and the constructor rejects a {@code senderGid} that differs from
 * {@code devices.get(0).gid()}. The kernel's v1 native ISM slot stays zero: it is 64 bits wide, too small for an
 * Emulated-ISM GID, and a kernel server would read it as a v1 device offer.
 *
 * <p><b>DMB.</b> smcd's client creates its DMB before proposing, so that nothing can fail after the Confirm, and
 * announces its token, size code and lease generation here; see {@link ClcProposalCodec} for where (the one departure
 * from the kernel layout).
 *
 * @param senderGid   the client's GID; must equal {@code devices.get(0).gid()}
 * @param devices     1 to {@link #MAX_DEVICES} devices, preferred first
 * @param eids        0 to {@link #MAX_EIDS} user EIDs (1-32 printable non-blank ASCII characters each)
 * @param dmbToken    the token of the client's own DMB, which the server will write into
 * @param dmbSizeCode the size code of that DMB ({@code 16 KiB << code}), 0 to {@link DmbSize#MAX_CODE}
 * @param dmbGeneration the low 16 bits of that DMB's lease generation: a link group reuses DMBs across connections,
 *                      and the peer refuses a DMB whose header shows another lease
 */
public record ClcProposal(Gid senderGid, List<ClcDevice> devices, List<String> eids, long dmbToken, int dmbSizeCode,
        int dmbGeneration) implements ClcMessage {
    /** Lease generations travel as their low 16 bits. */
    public static final int GENERATION_MASK = 0xFFFF;

    /** The low 16 bits of a lease generation, as CLC messages carry it. */
    public static int wireGeneration(long generation) {
        return (int) generation & GENERATION_MASK;
    }

    /** Each Emulated-ISM device takes two of the eight GID/CHID entries. */
    public static final int MAX_DEVICES = 4;
    /** The kernel's {@code SMC_CLC_MAX_UEID}. */
    public static final int MAX_EIDS = 8;

    public ClcProposal {
        if (devices == null) {
            throw new IllegalArgumentException("devices=null");
        }
        for (int i = 0; i < devices.size(); i++) {
            if (devices.get(i) == null) {
                throw new IllegalArgumentException("devices[" + i + "]=null");
            }
        }
        devices = List.copyOf(devices);
        if (devices.isEmpty() || devices.size() > MAX_DEVICES) {
            throw new IllegalArgumentException("devices.size=" + devices.size() + " not in [1, " + MAX_DEVICES + "]");
        }
        if (senderGid == null || !senderGid.equals(devices.get(0).gid())) {
            throw new IllegalArgumentException("senderGid=" + senderGid + " must equal devices[0].gid="
                    + devices.get(0).gid());
        }
        if (eids == null) {
            throw new IllegalArgumentException("eids=null");
        }
        for (int i = 0; i < eids.size(); i++) {
            if (!ClcEid.isValid(eids.get(i))) {
                throw new IllegalArgumentException("eids[" + i + "]=" + quote(eids.get(i))
                        + " is not 1-32 printable non-blank ASCII characters");
            }
        }
        eids = List.copyOf(eids);
        if (eids.size() > MAX_EIDS) {
            throw new IllegalArgumentException("eids.size=" + eids.size() + " > " + MAX_EIDS);
        }
        if (dmbSizeCode < 0 || dmbSizeCode > DmbSize.MAX_CODE) {
            throw new IllegalArgumentException("dmbSizeCode=" + dmbSizeCode + " not in [0, " + DmbSize.MAX_CODE + "]");
        }
        if ((dmbGeneration & ~GENERATION_MASK) != 0) {
            throw new IllegalArgumentException("dmbGeneration=" + dmbGeneration + " not in [0, " + GENERATION_MASK + "]");
        }
    }

    /** {@link ClcHeader#TYPE_PROPOSAL}. */
    @Override
    public int type() {
        return ClcHeader.TYPE_PROPOSAL;
    }

    private static String quote(String s) {
        return s == null ? "null" : '"' + s + '"';
    }
}
