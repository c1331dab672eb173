package io.smcd.sim.clc;

import io.smcd.sim.Gid;

/**
 * One Emulated-ISM device a {@link ClcProposal} offers: its 128-bit GID and its CHID. On the wire it takes two
 * {@code {gid, chid}} entries of the SMC-D v2 extension, {@code (gid.gid, chid)} then {@code (gid.gidExt, chid)},
 * as the kernel encodes Emulated-ISM devices. Immutable.
 *
 * @param gid  the device's GID
 * @param chid the device's channel id, an unsigned 16-bit value
 */
public record ClcDevice(Gid gid, int chid) {
    /** The largest CHID (u16). */
    public static final int MAX_CHID = 0xFFFF;

    public ClcDevice {
        if (gid == null) {
            throw new IllegalArgumentException("gid=null");
        }
        if (chid < 0 || chid > MAX_CHID) {
            throw new IllegalArgumentException("chid=" + chid + " not in [0, " + MAX_CHID + "]");
        }
    }
}
