package io.smcd.sim;

import io.smcd.sim.testing.TestDomain;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IsmDeviceTest {

    @Test
    void devicesReachExactlyTheirOwnDomainsGid() throws Exception {
        try (TestDomain test = TestDomain.create()) {
            for (IsmDevice device : List.of(new LoopbackIsmDevice(test.domain()), new CopyIsmDevice(test.domain()))) {
                assertEquals(test.domain().gid(), device.localGid());
                assertTrue(device.queryRemoteGid(test.domain().gid()));
                assertFalse(device.queryRemoteGid(Gid.of(UUID.randomUUID())));
            }
            assertEquals(0xFFFF, new LoopbackIsmDevice(test.domain()).chid());
            assertTrue(new CopyIsmDevice(test.domain()).chid() < 0xFF00, "copy device is not Emulated-ISM");
            assertTrue(new LoopbackIsmDevice(test.domain()).supportsNocopy());
            assertFalse(new CopyIsmDevice(test.domain()).supportsNocopy());
        }
    }

    @Test
    void moveDataCopiesIntoThePeerRingAndRefusesToWrapOrOverrun() throws Exception {
        try (TestDomain test = TestDomain.create()) {
            CopyIsmDevice device = new CopyIsmDevice(test.domain());
            DmbSegment rmb = DmbSegment.register(test.domain(), DmbSize.MIN_SIZE);
            DmbSegment peer = DmbSegment.attach(test.domain(), rmb.token(), DmbSize.MIN_SIZE);
            ByteBuffer src = ByteBuffer.allocateDirect(8);
            src.put(0, (byte) 7).put(1, (byte) 9);
            device.moveData(peer, DmbSize.MIN_SIZE - 2, src, 0, 2);
            assertEquals(7, rmb.buffer().get(DmbDescriptor.RING_OFFSET + DmbSize.MIN_SIZE - 2));
            assertEquals(9, rmb.buffer().get(DmbDescriptor.RING_OFFSET + DmbSize.MIN_SIZE - 1));
            assertThrows(IllegalArgumentException.class, () -> device.moveData(peer, DmbSize.MIN_SIZE - 1, src, 0, 2));
            peer.close();
            rmb.close();
            assertEquals(List.of(), test.leftoverFiles());
        }
    }

    @Test
    void signalRingsTheCallersDoorbell() throws Exception {
        try (TestDomain test = TestDomain.create()) {
            int[] rings = new int[1];
            new LoopbackIsmDevice(test.domain()).signal(() -> rings[0]++);
            assertEquals(1, rings[0]);
        }
    }
}
