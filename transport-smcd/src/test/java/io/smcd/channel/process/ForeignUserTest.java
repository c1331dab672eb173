package io.smcd.channel.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.smcd.channel.SmcdMode;
import io.smcd.sim.testing.ChildJvm;
import io.smcd.sim.testing.TestDomain;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The trust boundary is the Unix user. The domain directory is 0700 and every file in it 0600. A process of another user ({@code nobody}, started through {@code setpriv},
 * which needs root, as CI runs) can neither list nor read this user's domain, nor the server's mappings through
 * {@code /proc}; an smcd client of that user still reaches the server, over TCP: naming the foreign domain it gets
 * CNFERR (the directory is not its own), and with a domain of its own it finds no SMC-D listener there.
 */
@Timeout(180)
class ForeignUserTest {
    private static final String NOBODY = "65534";

    @Test
    void anotherUserCannotReachTheDomainAndItsClientsUseTcp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Paths.get("/usr/bin/setpriv")),
                "needs root and setpriv to run a process as another user (CI has both); UnusableDomainTest checks the"
                        + " ownership and mode checks directly");
        Path classes = Files.createTempDirectory("smcd-foreign-cp-");
        Path ownDomain = Paths.get("/dev/shm", "smcd-test-foreign-" + UUID.randomUUID());
        try (TestDomain test = TestDomain.create();
                ServerProcess server = ServerProcess.smcd(test.directory())) {
            String classPath = readableCopy(classes);
            Path listenerFile;
            try (Stream<Path> files = Files.list(test.directory())) {
                listenerFile = files.filter(f -> f.getFileName().toString().startsWith("listener-")).findFirst()
                        .orElseThrow(() -> new AssertionError("the server registered no listener"));
            }
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(test.directory())));
            try (Stream<Path> files = Files.list(test.directory())) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                            "mode of " + file.getFileName());
                }
            }
            List<String> lines = new ArrayList<>();
            try (ChildJvm foreign = ChildJvm.start(List.of("/usr/bin/setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
                    "--clear-groups"), classPath, ForeignUserMain.class, List.of("-Djava.io.tmpdir=/tmp"),
                    test.directory().toString(), listenerFile.toString(), String.valueOf(server.child().pid()),
                    String.valueOf(server.address().getPort()), ownDomain.toString())) {
                for (String line; !"DONE".equals(line = foreign.readLine(ServerProcess.BOUND));) {
                    if (line == null) {
                        throw new AssertionError("the foreign child ended early:\n" + foreign.stderr());
                    }
                    lines.add(line);
                }
                assertEquals(0, foreign.waitFor(ServerProcess.BOUND), "foreign child:\n" + foreign.stderr());
            }
            System.out.println("another user's process: " + lines);
            assertEquals(List.of(
                    "DENIED list " + test.directory(),
                    "DENIED read " + listenerFile,
                    "DENIED read /proc/" + server.child().pid() + "/maps",
                    "DENIED list /proc/" + server.child().pid() + "/map_files",
                    "CONNECTED their-domain " + SmcdMode.TCP + " CNFERR",
                    "ECHO ok",
                    "CONNECTED own-domain " + SmcdMode.TCP + " PEERNOSMC",
                    "ECHO ok"), lines);
            server.quit();
        } finally {
            DomainFiles.removeQuietly(ownDomain);
            DomainFiles.removeQuietly(classes);
        }
    }

    /** Copies the test class path where the other user can read it (the Maven repository under /root is private). */
    private static String readableCopy(Path into) throws IOException {
        Files.setPosixFilePermissions(into, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String entry : ChildJvm.classPath().split(File.pathSeparator)) {
            Path source = Paths.get(entry);
            if (!Files.exists(source)) {
                continue;
            }
            Path target = into.resolve(i++ + "-" + source.getFileName());
            if (Files.isRegularFile(source)) {
                Files.copy(source, target);
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
            } else {
                try (Stream<Path> tree = Files.walk(source)) {
                    for (Path from : (Iterable<Path>) tree::iterator) {
                        Path to = target.resolve(source.relativize(from).toString());
                        Files.copy(from, to);
                        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString(
                                Files.isDirectory(to) ? "rwxr-xr-x" : "rw-r--r--"));
                    }
                }
            }
            entries.add(target.toString());
        }
        return String.join(File.pathSeparator, entries);
    }
}
