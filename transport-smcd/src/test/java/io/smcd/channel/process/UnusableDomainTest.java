package io.smcd.channel.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.EventLoopGroup;
import io.smcd.channel.SmcdMode;
import io.smcd.channel.SmcdSocketChannel;
import io.smcd.sim.SmcdReason;
import io.smcd.sim.testing.TestDomain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A process whose configured domain is unusable (what {@code SmcdDomain.open} rejects: a path that is a regular file,
 * a directory that others may read, one owned by another user) still connects, over TCP, with the domain's reason
 * code (CNFERR) as its local fallback reason, and no exception reaches the application. The unusable side is the
 * client in this JVM, or the server in the child JVM; the other side has a good domain.
 */
@Timeout(120)
class UnusableDomainTest {
    enum Unusable {
        REGULAR_FILE, MODE_0755, OWNED_BY_ANOTHER_USER;

        /** Makes {@code path} this kind of unusable domain; skips the test where that is impossible. */
        Path create(Path path) throws IOException {
            switch (this) {
                case REGULAR_FILE:
                    return Files.writeString(path, "not a domain\n");
                case MODE_0755:
                    return Files.createDirectory(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
                default:
                    Files.createDirectory(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                    assumeTrue("root".equals(System.getProperty("user.name")), "only root can give a directory away");
                    UserPrincipal nobody = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
                    Files.setOwner(path, nobody);
                    return path;
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Unusable.class)
    void aClientWithAnUnusableDomainConnectsOverTcpWithItsReason(Unusable kind, @TempDir Path temp) throws Exception {
        Path unusable = kind.create(temp.resolve("domain"));
        try (TestDomain test = TestDomain.create();
             ServerProcess server = ServerProcess.smcd(test.directory(), "report=true")) {
            assertTrue(server.isSmcdListening());
            EventLoopGroup group = Clients.group(1, unusable);
            try {
                SmcdSocketChannel channel = PingExchange.run(group, SmcdSocketChannel.class, server, new byte[0]);
                assertEquals(SmcdMode.TCP, channel.mode());
                assertNotNull(channel.fallbackReason());
                assertEquals(SmcdReason.CNFERR, channel.fallbackReason().localCode(), channel.fallbackReason().toString());
                assertEquals(List.of(SmcdMode.TCP.name(), "PEERNOSMC", "NONE"), Arrays.asList(server.nextActive()));
                server.quit();
            } finally {
                Clients.shutdown(group);
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
        assertUntouched(kind, unusable);
    }

    @ParameterizedTest
    @EnumSource(Unusable.class)
    void aServerWithAnUnusableDomainAcceptsOverTcpWithItsReason(Unusable kind, @TempDir Path temp) throws Exception {
        Path unusable = kind.create(temp.resolve("domain"));
        try (TestDomain test = TestDomain.create();
             ServerProcess server = ServerProcess.smcd(unusable, "report=true")) {
            assertFalse(server.isSmcdListening(), "no listener record without a usable domain");
            EventLoopGroup group = Clients.group(1, test.directory());
            try {
                SmcdSocketChannel channel = PingExchange.run(group, SmcdSocketChannel.class, server, new byte[0]);
                assertEquals(SmcdMode.TCP, channel.mode());
                assertEquals(SmcdReason.PEERNOSMC, channel.fallbackReason().localCode(), channel.fallbackReason().toString());
                List<String> active = Arrays.asList(server.nextActive());
                Map<String, Long> stats = server.stats();
                assertEquals(0, stats.get("exceptions"), "server: " + stats + "\nchild stderr:\n" + server.stderr());
                assertEquals(List.of(SmcdMode.TCP.name(), "CNFERR", "NONE"), active,
                        "the accepted channel's mode and local/peer reason: its domain is unusable");
                server.quit();
            } finally {
                Clients.shutdown(group);
            }
            assertEquals(List.of(), test.leftoverFiles());
        }
        assertUntouched(kind, unusable);
    }

    /** The transport must neither repair nor fill an unusable domain. */
    private static void assertUntouched(Unusable kind, Path unusable) throws IOException {
        if (kind == Unusable.REGULAR_FILE) {
            assertEquals("not a domain\n", Files.readString(unusable));
        } else {
            try (var files = Files.list(unusable)) {
                assertEquals(List.of(), files.map(Path::toString).collect(Collectors.toList()));
            }
        }
    }
}
