package io.smcd.sim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessIdentityTest {

    @Test
    void livenessTellsAnOwnerFromAReusedPidAndSeesItsDeath() throws Exception {
        ProcessIdentity self = ProcessIdentity.current();
        assertTrue(self.isAlive());
        assertTrue(self.isAlive(), "answered by the confirmed handle");
        assertFalse(new ProcessIdentity(self.pid(), self.startMillis() - 1).isAlive(), "same PID, other start time");
        Process process = new ProcessBuilder("cat").start();
        try {
            ProcessIdentity identity = ProcessIdentity.of(process.pid()).orElseThrow();
            assertTrue(identity.isAlive());
            process.getOutputStream().close();
            assertEquals(0, process.waitFor());
            assertFalse(identity.isAlive());
        } finally {
            process.destroyForcibly().waitFor();
        }
    }
}
