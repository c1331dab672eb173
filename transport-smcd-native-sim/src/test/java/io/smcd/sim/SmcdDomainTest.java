package io.smcd.sim;

import io.smcd.sim.testing.TestDomain;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmcdDomainTest {

    @Test
    void createsAPrivateDirectoryWithOneGidSharedByEveryMember() throws Exception {
        try (TestDomain test = TestDomain.create()) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(test.directory())));
            try (SmcdDomain second = SmcdDomain.open(test.directory())) {
                assertEquals(test.domain().gid(), second.gid());
            }
            assertTrue(Files.exists(test.directory()), "the first member still holds the domain");
            assertEquals(java.util.List.of(), test.leftoverFiles(), "the probe leaves nothing behind");
        }
    }

    @Test
    void lastMemberRemovesTheDomainAndANewDomainGetsANewGid() throws Exception {
        Path dir = Paths.get("/dev/shm", "smcd-test-" + UUID.randomUUID());
        Gid first;
        try (SmcdDomain domain = SmcdDomain.open(dir)) {
            first = domain.gid();
        }
        assertFalse(Files.exists(dir), "the last member removes the directory");
        try (SmcdDomain domain = SmcdDomain.open(dir)) {
            assertNotEquals(first, domain.gid());
        }
        assertFalse(Files.exists(dir));
    }

    @Test
    void membersOfDeadProcessesDoNotKeepTheDomain() throws Exception {
        Path dir = Paths.get("/dev/shm", "smcd-test-" + UUID.randomUUID());
        try (SmcdDomain domain = SmcdDomain.open(dir)) {
            Files.createFile(domain.directory().resolve(SmcdDomain.MEMBER_PREFIX + "1-1-deadbeef"));
        }
        assertFalse(Files.exists(dir), "a member file of a dead process is swept on close");
    }

    @Test
    void rejectsADirectoryOthersCanRead() throws Exception {
        Path dir = Paths.get("/dev/shm", "smcd-test-" + UUID.randomUUID());
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        try {
            SmcdException e = assertThrows(SmcdException.class, () -> SmcdDomain.open(dir));
            assertEquals(SmcdReason.CNFERR, e.reasonCode());
            assertTrue(e.getMessage().contains("rwxr-xr-x"), e.getMessage());
        } finally {
            Files.delete(dir);
        }
    }

    @Test
    void rejectsAPathThatIsNotADirectoryOrCannotBeCreated() throws Exception {
        Path file = Paths.get("/dev/shm", "smcd-test-" + UUID.randomUUID());
        Files.createFile(file);
        try {
            assertEquals(SmcdReason.CNFERR, assertThrows(SmcdException.class, () -> SmcdDomain.open(file)).reasonCode());
            assertEquals(SmcdReason.CNFERR, assertThrows(SmcdException.class, () -> SmcdDomain.open(file.resolve("below"))).reasonCode());
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void rejectsAnUnreadableGidFile() throws Exception {
        try (TestDomain test = TestDomain.create()) {
            Path gid = test.directory().resolve(SmcdDomain.GID_FILE);
            Files.writeString(gid, "not-a-uuid");
            assertEquals(SmcdReason.CNFERR, assertThrows(SmcdException.class, () -> SmcdDomain.open(test.directory())).reasonCode());
        }
    }

    @Test
    void defaultDirectoryFollowsTheSystemProperty() {
        String saved = System.getProperty(SmcdDomain.DIRECTORY_PROPERTY);
        try {
            System.clearProperty(SmcdDomain.DIRECTORY_PROPERTY);
            assertEquals(Paths.get("/dev/shm", "smcd-" + System.getProperty("user.name")), SmcdDomain.defaultDirectory());
            System.setProperty(SmcdDomain.DIRECTORY_PROPERTY, "/dev/shm/elsewhere");
            assertEquals(Paths.get("/dev/shm/elsewhere"), SmcdDomain.defaultDirectory());
        } finally {
            if (saved == null) {
                System.clearProperty(SmcdDomain.DIRECTORY_PROPERTY);
            } else {
                System.setProperty(SmcdDomain.DIRECTORY_PROPERTY, saved);
            }
        }
    }
}
