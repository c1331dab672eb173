package io.smcd.sim.clc;

import static io.smcd.sim.clc.ClcTestMessages.LOOPBACK_GID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smcd.sim.Gid;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Construction-time validation of the CLC records: programming errors are IllegalArgumentExceptions. */
class ClcMessagesTest {
    private static final ClcDevice DEVICE = new ClcDevice(LOOPBACK_GID, 0xFFFF);

    private static void rejects(String key, Executable constructor) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, constructor);
        assertTrue(e.getMessage().contains(key + "="), "message names " + key + ": " + e.getMessage());
    }

    private static ClcProposal proposal(List<ClcDevice> devices, List<String> eids, int sizeCode) {
        return new ClcProposal(LOOPBACK_GID, devices, eids, 1L, sizeCode, 0);
    }

    private static ClcAcceptConfirm accept(String eid) {
        return new ClcAcceptConfirm(ClcAcceptConfirm.ACCEPT, LOOPBACK_GID, 1L, 0, 0, 0, 0, eid, false);
    }

    @Test
    void proposalNeedsOneToFourDevices() {
        rejects("devices", () -> proposal(null, List.of(), 0));
        rejects("devices.size", () -> proposal(List.of(), List.of(), 0));
        rejects("devices.size", () -> proposal(Collections.nCopies(5, DEVICE), List.of(), 0));
        rejects("devices[1]", () -> proposal(Arrays.asList(DEVICE, null), List.of(), 0));
        assertEquals(4, proposal(Collections.nCopies(4, DEVICE), List.of(), 0).devices().size());
    }

    @Test
    void proposalSenderGidMustBeTheFirstDeviceGid() {
        rejects("senderGid", () -> new ClcProposal(new Gid(1, 2), List.of(DEVICE), List.of(), 0, 0, 0));
        rejects("senderGid", () -> new ClcProposal(null, List.of(DEVICE), List.of(), 0, 0, 0));
        rejects("senderGid", () -> new ClcProposal(LOOPBACK_GID,
                List.of(new ClcDevice(new Gid(1, 2), 0), DEVICE), List.of(), 0, 0, 0));
    }

    @Test
    void proposalNeedsAtMostEightValidEids() {
        rejects("eids", () -> proposal(List.of(DEVICE), null, 0));
        rejects("eids.size", () -> proposal(List.of(DEVICE), Collections.nCopies(9, "EID"), 0));
        assertEquals(8, proposal(List.of(DEVICE), Collections.nCopies(8, "EID"), 0).eids().size());
        for (String bad : new String[] {"", " ", "A B", "AB ", " AB", "A".repeat(33), "\u00e9", "A\u0000", "A\t",
                "A\u007f"}) {
            rejects("eids[0]", () -> proposal(List.of(DEVICE), List.of(bad), 0));
        }
        rejects("eids[1]", () -> proposal(List.of(DEVICE), Arrays.asList("OK", null), 0));
        assertEquals("A".repeat(32), proposal(List.of(DEVICE), List.of("A".repeat(32)), 0).eids().get(0));
    }

    @Test
    void proposalSizeCodeIsFourBits() {
        rejects("dmbSizeCode", () -> proposal(List.of(DEVICE), List.of(), -1));
        rejects("dmbSizeCode", () -> proposal(List.of(DEVICE), List.of(), 16));
        assertEquals(15, proposal(List.of(DEVICE), List.of(), 15).dmbSizeCode());
        rejects("dmbGeneration", () -> new ClcProposal(LOOPBACK_GID, List.of(DEVICE), List.of(), 0, 0, 0x10000));
        rejects("dmbGeneration", () -> new ClcProposal(LOOPBACK_GID, List.of(DEVICE), List.of(), 0, 0, -1));
    }

    @Test
    void proposalCopiesItsLists() {
        List<ClcDevice> devices = new ArrayList<>(List.of(DEVICE));
        List<String> eids = new ArrayList<>(List.of("E1"));
        ClcProposal p = proposal(devices, eids, 0);
        devices.add(DEVICE);
        eids.add("E2");
        assertEquals(1, p.devices().size());
        assertEquals(1, p.eids().size());
        assertThrows(UnsupportedOperationException.class, () -> p.eids().add("E3"));
    }

    @Test
    void deviceChidIsU16() {
        rejects("chid", () -> new ClcDevice(LOOPBACK_GID, -1));
        rejects("chid", () -> new ClcDevice(LOOPBACK_GID, 0x10000));
        rejects("gid", () -> new ClcDevice(null, 0));
    }

    @Test
    void acceptConfirmValidatesEveryField() {
        rejects("type", () -> new ClcAcceptConfirm(ClcHeader.TYPE_PROPOSAL, LOOPBACK_GID, 0, 0, 0, 0, 0, "", false));
        rejects("type", () -> new ClcAcceptConfirm(ClcHeader.TYPE_DECLINE, LOOPBACK_GID, 0, 0, 0, 0, 0, "", false));
        rejects("gid", () -> new ClcAcceptConfirm(ClcAcceptConfirm.ACCEPT, null, 0, 0, 0, 0, 0, "", false));
        rejects("dmbSizeCode", () -> new ClcAcceptConfirm(ClcAcceptConfirm.ACCEPT, LOOPBACK_GID, 0, 16, 0, 0, 0, "",
                false));
        rejects("dmbSizeCode", () -> new ClcAcceptConfirm(ClcAcceptConfirm.ACCEPT, LOOPBACK_GID, 0, -1, 0, 0, 0, "",
                false));
        rejects("dmbGeneration", () -> new ClcAcceptConfirm(ClcAcceptConfirm.ACCEPT, LOOPBACK_GID, 0, 0, 0x10000, 0, 0,
                "", false));
        rejects("chid", () -> new ClcAcceptConfirm(ClcAcceptConfirm.ACCEPT, LOOPBACK_GID, 0, 0, 0, 0, 0x10000, "",
                false));
        rejects("chid", () -> new ClcAcceptConfirm(ClcAcceptConfirm.ACCEPT, LOOPBACK_GID, 0, 0, 0, 0, -1, "", false));
        rejects("eid", () -> accept(null));
        rejects("eid", () -> accept(" "));
        rejects("eid", () -> accept("EID "));
        rejects("eid", () -> accept("B".repeat(33)));
        assertEquals("", accept("").eid());
    }

    @Test
    void declineNeedsFourV2Codes() {
        rejects("peerDiagnosisV2.length", () -> new ClcDecline(0, false, null));
        rejects("peerDiagnosisV2.length", () -> new ClcDecline(0, false, new int[3]));
        rejects("peerDiagnosisV2.length", () -> new ClcDecline(0, false, new int[5]));
    }
}
