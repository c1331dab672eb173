package io.smcd.sim;

import io.smcd.sim.testing.TestDomain;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DmbSweeperTest {

    @Test
    void removesDmbsOfDeadOwnersAndGarbageButKeepsLiveOnes() throws Exception {
        try (TestDomain test = TestDomain.create()) {
            DmbSegment live = DmbSegment.register(test.domain(), DmbSize.MIN_SIZE);
            DmbSegment orphan = DmbSegment.register(test.domain(), DmbSize.MIN_SIZE);
            // Forge a dead owner: same pid, a start time no live process has.
            SharedWords.setPlain(orphan.buffer(), DmbDescriptor.OWNER_START_OFFSET, 1);
            Files.write(test.directory().resolve("dmb-00000000000000ff"), new byte[] {1, 2, 3});

            assertEquals(2, DmbSweeper.sweep(test.domain()));
            assertEquals(List.of(DmbSegment.fileOf(test.domain(), live.token()).getFileName().toString()), test.leftoverFiles());
            assertEquals(0, DmbSweeper.sweep(test.domain()));
            orphan.close();
            live.close();
            assertEquals(List.of(), test.leftoverFiles());
        }
    }
}
