package io.smcd.sim;

import io.smcd.sim.testing.TestDomain;
import io.smcd.sim.testing.TinyTmpfs;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DmbSegmentTest {

    @Test
    void registerWritesAValidHeaderAndAttachUnlinksTheFile() throws Exception {
        try (TestDomain test = TestDomain.create()) {
            DmbSegment rmb = DmbSegment.register(test.domain(), DmbSize.MIN_SIZE);
            Path file = DmbSegment.fileOf(test.domain(), rmb.token());
            assertTrue(Files.exists(file));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals(DmbDescriptor.fileLength(DmbSize.MIN_SIZE), Files.size(file));
            assertNotEquals(0, rmb.token());
            assertEquals(ProcessIdentity.current(), DmbDescriptor.checkHeader(rmb.buffer(), rmb.token(), DmbSize.MIN_SIZE));

            DmbSegment attached = DmbSegment.attach(test.domain(), rmb.token(), DmbSize.MIN_SIZE);
            assertFalse(Files.exists(file), "attach must unlink: both sides have mapped it");
            assertFalse(attached.isRegistered());
            assertEquals(ProcessIdentity.current(), attached.owner());

            SharedWords.setRelease(attached.buffer(), DmbDescriptor.RING_OFFSET, 0x1122334455667788L);
            assertEquals(0x1122334455667788L, SharedWords.getAcquire(rmb.buffer(), DmbDescriptor.RING_OFFSET),
                    "both mappings must see the same memory");
            attached.close();
            rmb.close();
            rmb.close();
            assertEquals(java.util.List.of(), test.leftoverFiles());
        }
    }

    @Test
    void closingAnUnattachedRegisteredDmbRemovesItsFile() throws Exception {
        try (TestDomain test = TestDomain.create()) {
            DmbSegment rmb = DmbSegment.register(test.domain(), DmbSize.MIN_SIZE);
            assertEquals(1, test.leftoverFiles().size());
            rmb.close();
            assertEquals(java.util.List.of(), test.leftoverFiles());
        }
    }

    @Test
    void attachValidatesEveryHeaderField() throws Exception {
        try (TestDomain test = TestDomain.create()) {
            assertAttachFails(test, "layout version", DmbDescriptor.LAYOUT_VERSION_OFFSET, 99);
            assertAttachFails(test, "magic", DmbDescriptor.MAGIC_OFFSET, 0x4141414141414141L);
            assertAttachFails(test, "token", DmbDescriptor.TOKEN_OFFSET, 42);
            assertAttachFails(test, "ring size", DmbDescriptor.RING_SIZE_OFFSET, 2 * DmbSize.MIN_SIZE);
            assertAttachFails(test, "dead process", DmbDescriptor.OWNER_START_OFFSET, 1);

            DmbSegment rmb = DmbSegment.register(test.domain(), DmbSize.MIN_SIZE);
            SmcdException wrongSize = assertThrows(SmcdException.class,
                    () -> DmbSegment.attach(test.domain(), rmb.token(), 2 * DmbSize.MIN_SIZE));
            assertEquals(SmcdReason.SYNCERR, wrongSize.reasonCode());
            SmcdException missing = assertThrows(SmcdException.class,
                    () -> DmbSegment.attach(test.domain(), rmb.token() ^ 1, DmbSize.MIN_SIZE));
            assertEquals(SmcdReason.MEM, missing.reasonCode());
            rmb.close();
            assertEquals(java.util.List.of(), test.leftoverFiles());
        }
    }

    private static void assertAttachFails(TestDomain test, String what, int offset, long forged) throws SmcdException {
        DmbSegment rmb = DmbSegment.register(test.domain(), DmbSize.MIN_SIZE);
        try {
            ByteBuffer header = rmb.buffer();
            SharedWords.setRelease(header, offset, forged);
            SmcdException e = assertThrows(SmcdException.class, () -> DmbSegment.attach(test.domain(), rmb.token(), DmbSize.MIN_SIZE), what);
            assertEquals(SmcdReason.SYNCERR, e.reasonCode(), what + ": " + e.getMessage());
            assertTrue(Files.exists(DmbSegment.fileOf(test.domain(), rmb.token())), what + ": a rejected DMB is not unlinked by the attacher");
        } finally {
            rmb.close();
        }
    }

    @Test
    void fullTmpfsFailsCleanlyWithReasonMem() throws Exception {
        try (TinyTmpfs tmpfs = TinyTmpfs.mount(256 * 1024)) {
            try (SmcdDomain domain = SmcdDomain.open(tmpfs.path().resolve("domain"))) {
                SmcdException e = assertThrows(SmcdException.class, () -> DmbSegment.register(domain, 1024 * 1024));
                assertEquals(SmcdReason.MEM, e.reasonCode(), e.getMessage());
                try (var files = Files.list(domain.directory())) {
                    assertTrue(files.allMatch(f -> f.getFileName().toString().matches("gid|member-.*")),
                            "a failed DMB leaves no file behind");
                }
                DmbSegment small = DmbSegment.register(domain, DmbSize.MIN_SIZE);
                small.close();
            }
        }
    }
}
