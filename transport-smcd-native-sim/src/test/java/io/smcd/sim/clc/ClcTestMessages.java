package io.smcd.sim.clc;

import io.smcd.sim.Gid;
import io.smcd.sim.SmcdReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Sample and random CLC messages, and the wire facts the tests check them against. Offsets here are literal kernel
 * offsets on purpose: they cross-check the codecs' cumulative constants instead of reusing them.
 */
final class ClcTestMessages {
    static final Gid LOOPBACK_GID = new Gid(0x0123456789ABCDEFL, 0xFEDCBA9876543210L);
    static final int LOOPBACK_CHID = 0xFFFF;

    private ClcTestMessages() {
    }

    static ClcProposal proposal(int deviceCount, int eidCount) {
        List<ClcDevice> devices = new ArrayList<>();
        devices.add(new ClcDevice(LOOPBACK_GID, LOOPBACK_CHID));
        for (int i = 1; i < deviceCount; i++) {
            devices.add(new ClcDevice(new Gid(0x1111_0000_0000_0000L + i, -i), 0xFF00 + i));
        }
        List<String> eids = new ArrayList<>();
        for (int i = 0; i < eidCount; i++) {
            eids.add(i % 2 == 0 ? "SMCD-UEID-" + i
                    : ("~!" + "Z9.-".repeat(8)).substring(0, ClcHeader.EID_LENGTH - i / 2));
        }
        return new ClcProposal(LOOPBACK_GID, devices, eids, 0x8877665544332211L, 3, 0xBEEF);
    }

    static ClcAcceptConfirm accept(boolean firstContact, String eid) {
        return new ClcAcceptConfirm(ClcAcceptConfirm.ACCEPT, LOOPBACK_GID, 0xA1B2C3D4E5F60718L, 6, 0x0506, 0x01020304,
                LOOPBACK_CHID, eid, firstContact);
    }

    static ClcAcceptConfirm confirm(boolean firstContact) {
        return new ClcAcceptConfirm(ClcAcceptConfirm.CONFIRM, new Gid(-1L, Long.MIN_VALUE), 0x0F0E0D0C0B0A0908L, 0,
                0xFFFF, -1, 0, "SMCD-UEID", firstContact);
    }

    static ClcDecline decline(boolean outOfSync) {
        return new ClcDecline(SmcdReason.NOSMCD2DEV, outOfSync, new int[] {SmcdReason.NOUEID, 0, -1, 0x7FFFFFFF});
    }

    /** A sample of each type and shape, for exhaustive per-bit tests. */
    static List<ClcMessage> samples() {
        return List.of(proposal(1, 0), proposal(2, 1), proposal(3, 5), proposal(4, 8),
                accept(false, ""), accept(true, "SMCD-UEID-1"), confirm(false), confirm(true),
                decline(false), decline(true), new ClcDecline(SmcdReason.SYNCERR));
    }

    static ClcMessage randomMessage(Random r) {
        switch (r.nextInt(3)) {
            case 0: return randomProposal(r);
            case 1: return randomAcceptConfirm(r);
            default: return randomDecline(r);
        }
    }

    static ClcProposal randomProposal(Random r) {
        int deviceCount = 1 + r.nextInt(ClcProposal.MAX_DEVICES);
        List<ClcDevice> devices = new ArrayList<>();
        for (int i = 0; i < deviceCount; i++) {
            devices.add(new ClcDevice(randomGid(r), randomChid(r)));
        }
        int eidCount = r.nextInt(ClcProposal.MAX_EIDS + 1);
        List<String> eids = new ArrayList<>();
        for (int i = 0; i < eidCount; i++) {
            eids.add(randomEid(r));
        }
        return new ClcProposal(devices.get(0).gid(), devices, eids, r.nextLong(), r.nextInt(16), r.nextInt(0x10000));
    }

    static ClcAcceptConfirm randomAcceptConfirm(Random r) {
        return new ClcAcceptConfirm(r.nextBoolean() ? ClcAcceptConfirm.ACCEPT : ClcAcceptConfirm.CONFIRM,
                randomGid(r), r.nextLong(), r.nextInt(16), r.nextInt(0x10000), r.nextInt(), randomChid(r),
                r.nextInt(4) == 0 ? "" : randomEid(r), r.nextBoolean());
    }

    static ClcDecline randomDecline(Random r) {
        int[] v2 = new int[ClcDecline.PEER_DIAGNOSIS_V2_COUNT];
        for (int i = 0; i < v2.length; i++) {
            v2[i] = r.nextInt(3) == 0 ? 0 : r.nextInt();
        }
        return new ClcDecline(r.nextBoolean() ? SmcdReason.SYNCERR : r.nextInt(), r.nextBoolean(), v2);
    }

    static Gid randomGid(Random r) {
        return new Gid(r.nextLong(), r.nextLong());
    }

    static int randomChid(Random r) {
        switch (r.nextInt(4)) {
            case 0: return 0;
            case 1: return ClcDevice.MAX_CHID;
            default: return r.nextInt(ClcDevice.MAX_CHID + 1);
        }
    }

    /** 1-32 characters of 0x21..0x7E; often the kernel's UEID alphabet, often the full 32. */
    static String randomEid(Random r) {
        int length = r.nextInt(3) == 0 ? ClcHeader.EID_LENGTH : 1 + r.nextInt(ClcHeader.EID_LENGTH);
        String kernelAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-";
        boolean kernelStyle = r.nextBoolean();
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(kernelStyle ? kernelAlphabet.charAt(r.nextInt(kernelAlphabet.length()))
                    : (char) (0x21 + r.nextInt(0x7E - 0x21 + 1)));
        }
        return sb.toString();
    }

    /**
     * For each byte of {@code canonical} (the encoding of {@code m}), the bits the decoder ignores: an accepted input
     * may differ from the canonical encoding only there. The release nibbles count as ignored although a release of
     * 0 is rejected; {@link #releaseBit(ClcMessage, int, int)} names the one bit whose flip makes it 0.
     */
    static byte[] ignoredBits(ClcMessage m, int length) {
        byte[] mask = new byte[length];
        if (m instanceof ClcProposal p) {
            int e = p.eids().size();
            fill(mask, 8, 38);            // id_for_peer, RoCE gid, mac
            fill(mask, 40, 50);           // v1 native ISM gid and chid
            fill(mask, 52, 60);           // vendor_oui, vendor_exp_options
            fill(mask, 71, 80);           // reserved[20] after smcd's token, size code and generation
            fill(mask, 82, 83);           // reserved1
            mask[83] = (byte) 0xFF;       // release nibble (>= 1 accepted), rsvd bits, seid
            fill(mask, 84, 86);           // reserved2
            fill(mask, 88, 106);          // RoCEv2 gid, max_conns, max_links
            mask[106] = (byte) 0xFF;      // feature_mask high byte
            mask[107] = (byte) 0xFE;      // feature_mask: all but SMC_SPF_EMULATED_ISM_DEV
            fill(mask, 108, 120);         // reserved[12]
            int smcdV2Ext = 120 + 32 * e;
            fill(mask, smcdV2Ext, smcdV2Ext + 48); // system_eid, reserved[16]
        } else if (m instanceof ClcAcceptConfirm a) {
            mask[25] = 0x0F;              // low nibble of dmbe_size
            if (a.firstContact()) {
                mask[74] = (byte) 0xFF;   // v2_direct, reserved
                mask[75] = (byte) 0xFF;   // os_type, release nibble (>= 1 accepted)
                fill(mask, 76, 112);      // reserved2, hostname, max_conns, max_links
                mask[112] = (byte) 0xFF;  // feature_mask high byte
                mask[113] = (byte) 0xFE;  // feature_mask: all but SMC_SPF_EMULATED_ISM_DEV
                fill(mask, 114, 126);     // vendor_exp_options, reserved[8]
            }
        } else {
            fill(mask, 8, 16);            // id_for_peer
            fill(mask, 20, 24);           // os_type, reserved
        }
        return mask;
    }

    /** Whether flipping bit {@code bit} of byte {@code index} turns the canonical release 1 into 0. */
    static boolean releaseBit(ClcMessage m, int index, int bit) {
        if (m instanceof ClcProposal) {
            return index == 83 && bit == 4;
        }
        return m instanceof ClcAcceptConfirm a && a.firstContact() && index == 75 && bit == 0;
    }

    private static void fill(byte[] mask, int from, int to) {
        for (int i = from; i < to; i++) {
            mask[i] = (byte) 0xFF;
        }
    }

    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >>> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }
}
