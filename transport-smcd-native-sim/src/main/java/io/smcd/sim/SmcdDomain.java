package io.smcd.sim;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * A shared-memory domain: a directory on a tmpfs in which processes of one user exchange DMBs and
 * endpoint records. Two processes can use SMC-D with each other only if they open the same domain; the
 * domain's {@link #gid() GID} (a random UUID in a file created once) is what {@code query_remote_gid}
 * compares.
 *
 * <p>Each open domain holds a member file; {@link #close()} removes it and, when no live member remains,
 * the GID file and the directory, so that a domain leaves nothing behind once its last user is gone.
 * Instances are thread-safe.
 */
public final class SmcdDomain implements AutoCloseable {
    /** System property naming the domain directory; overrides the default {@code /dev/shm/smcd-<user>}. */
    public static final String DIRECTORY_PROPERTY = "smcd.domain";

    static final String GID_FILE = "gid";
    static final String MEMBER_PREFIX = "member-";
    /** Files being created carry this prefix and their creator's identity until renamed into place. */
    static final String TEMP_PREFIX = "tmp-";

    private static final Set<PosixFilePermission> MODE_0700 = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    private static final int PROBE_LENGTH = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path directory;
    private final Gid gid;
    private final Path memberFile;

    private SmcdDomain(Path directory, Gid gid, Path memberFile) {
        this.directory = directory;
        this.gid = gid;
        this.memberFile = memberFile;
    }

    /** The default domain directory: the {@value #DIRECTORY_PROPERTY} property, else {@code /dev/shm/smcd-<user>}. */
    public static Path defaultDirectory() {
        String configured = System.getProperty(DIRECTORY_PROPERTY);
        if (configured != null && !configured.isEmpty()) {
            return Paths.get(configured);
        }
        return Paths.get("/dev/shm", "smcd-" + System.getProperty("user.name"));
    }

    /**
     * Opens (creating if needed) the domain in {@code directory} and checks that it can hold shared
     * segments: directory usable and private, a file can be created and mapped, aligned 64-bit
     * acquire/release/CAS work on it.
     *
     * @throws SmcdException with reason {@link SmcdReason#CNFERR} or {@link SmcdReason#MEM} saying why not
     */
    public static SmcdDomain open(Path directory) throws SmcdException {
        Path dir = directory.toAbsolutePath().normalize();
        ensurePrivateDirectory(dir);
        ProcessIdentity self = ProcessIdentity.current();
        Path member = dir.resolve(MEMBER_PREFIX + self.pid() + "-" + self.startMillis() + "-" + Long.toHexString(RANDOM.nextLong()));
        try {
            Files.createFile(member, SharedFiles.MODE_0600);
        } catch (IOException e) {
            throw new SmcdException(SmcdReason.CNFERR, "cannot write to domain directory " + dir + ": " + e, e);
        }
        try {
            Gid gid = readOrCreateGid(dir);
            probeSharedWords(dir);
            return new SmcdDomain(dir, gid, member);
        } catch (SmcdException | RuntimeException e) {
            SharedFiles.deleteQuietly(member);
            throw e;
        }
    }

    /** The domain directory. */
    public Path directory() {
        return directory;
    }

    /** The domain's GID: equal GIDs mean the same domain, so SMC-D devices can reach each other. */
    public Gid gid() {
        return gid;
    }

    /**
     * A fresh name for a file being created in this domain, carrying this process's identity so that
     * {@link DmbSweeper} can remove it should the process die before renaming it into place.
     */
    public Path newTempFile(String purpose) {
        ProcessIdentity self = ProcessIdentity.current();
        return directory.resolve(TEMP_PREFIX + self.pid() + "-" + self.startMillis() + "-" + purpose + "-"
                + Long.toHexString(RANDOM.nextLong()));
    }

    /**
     * Leaves the domain. When no live member remains, removes the GID file and the directory (if empty).
     * A process opening the domain at the same moment may end up with a new GID; connections between it
     * and older members then decline ({@link SmcdReason#NOSMCD2DEV}) and use TCP, never corrupt.
     * Calling it again retries the removal: an early close (at JVM exit) may find files that this
     * process still removes afterwards, such as a listener record of a server closing meanwhile.
     */
    @Override
    public void close() {
        SharedFiles.deleteQuietly(memberFile);
        if (!Files.isDirectory(directory) || hasLiveMember(directory)) {
            return;
        }
        SharedFiles.deleteQuietly(directory.resolve(GID_FILE));
        try {
            Files.delete(directory);
        } catch (IOException e) {
            // Not empty: another process holds files here and will remove the directory when it leaves.
        }
    }

    @Override
    public String toString() {
        return "SmcdDomain(" + directory + ", gid=" + gid + ")";
    }

    private static boolean hasLiveMember(Path dir) {
        try (DirectoryStream<Path> members = Files.newDirectoryStream(dir, MEMBER_PREFIX + "*")) {
            boolean live = false;
            for (Path member : members) {
                if (ownerOf(member.getFileName().toString(), MEMBER_PREFIX).isAlive()) {
                    live = true;
                } else {
                    SharedFiles.deleteQuietly(member);
                }
            }
            return live;
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /** Parses {@code <prefix><pid>-<startMillis>-...} back into the identity that created the file. */
    static ProcessIdentity ownerOf(String fileName, String prefix) {
        String[] parts = fileName.substring(prefix.length()).split("-", 3);
        if (parts.length < 2) {
            throw new IllegalArgumentException("fileName=" + fileName + " has no owner");
        }
        return new ProcessIdentity(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
    }

    private static void ensurePrivateDirectory(Path dir) throws SmcdException {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(MODE_0700));
        } catch (FileAlreadyExistsException e) {
            // Opened by an earlier process: checked below like a new one.
        } catch (IOException | UnsupportedOperationException e) {
            throw new SmcdException(SmcdReason.CNFERR, "cannot create domain directory " + dir + ": " + e, e);
        }
        try {
            PosixFileAttributes attributes = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isDirectory()) {
                throw new SmcdException(SmcdReason.CNFERR, "domain path is not a directory: " + dir);
            }
            String me = System.getProperty("user.name");
            if (!attributes.owner().getName().equals(me)) {
                throw new SmcdException(SmcdReason.CNFERR, "domain directory " + dir + " is owned by "
                        + attributes.owner().getName() + ", not " + me);
            }
            if (!attributes.permissions().equals(MODE_0700)) {
                throw new SmcdException(SmcdReason.CNFERR, "domain directory " + dir + " has mode "
                        + PosixFilePermissions.toString(attributes.permissions()) + ", expected rwx------");
            }
        } catch (IOException e) {
            throw new SmcdException(SmcdReason.CNFERR, "cannot inspect domain directory " + dir + ": " + e, e);
        }
    }

    /** The GID file is published with a hard link, which fails if it exists: exactly one creator wins. */
    private static Gid readOrCreateGid(Path dir) throws SmcdException {
        Path gidFile = dir.resolve(GID_FILE);
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return Gid.of(UUID.fromString(Files.readString(gidFile, StandardCharsets.US_ASCII).trim()));
            } catch (NoSuchFileException e) {
                createGidFile(dir, gidFile);
            } catch (IOException | IllegalArgumentException e) {
                throw new SmcdException(SmcdReason.CNFERR, "unreadable domain GID file " + gidFile + ": " + e, e);
            }
        }
        throw new SmcdException(SmcdReason.CNFERR, "domain GID file " + gidFile + " keeps disappearing");
    }

    private static void createGidFile(Path dir, Path gidFile) throws SmcdException {
        ProcessIdentity self = ProcessIdentity.current();
        Path temp = dir.resolve(TEMP_PREFIX + self.pid() + "-" + self.startMillis() + "-gid-" + Long.toHexString(RANDOM.nextLong()));
        try {
            Files.createFile(temp, SharedFiles.MODE_0600);
            Files.writeString(temp, UUID.randomUUID() + "\n", StandardCharsets.US_ASCII);
            Files.createLink(gidFile, temp);
        } catch (FileAlreadyExistsException e) {
            // Another process published its GID first; the caller reads that one.
        } catch (IOException e) {
            throw new SmcdException(SmcdReason.CNFERR, "cannot create domain GID file " + gidFile + ": " + e, e);
        } finally {
            SharedFiles.deleteQuietly(temp);
        }
    }

    private static void probeSharedWords(Path dir) throws SmcdException {
        ProcessIdentity self = ProcessIdentity.current();
        Path probe = dir.resolve(TEMP_PREFIX + self.pid() + "-" + self.startMillis() + "-probe-" + Long.toHexString(RANDOM.nextLong()));
        MappedByteBuffer mapped = SharedFiles.createAndMap(probe, PROBE_LENGTH);
        try {
            ByteBuffer words = mapped;
            SharedWords.setRelease(words, 8, 0x5A5A_0001L);
            boolean ok = SharedWords.getAcquire(words, 8) == 0x5A5A_0001L
                    && SharedWords.compareAndSet(words, 8, 0x5A5A_0001L, 0x5A5A_0002L)
                    && !SharedWords.compareAndSet(words, 8, 0x5A5A_0001L, 0x5A5A_0003L)
                    && SharedWords.getVolatile(words, 8) == 0x5A5A_0002L;
            if (!ok) {
                throw new SmcdException(SmcdReason.CNFERR, "aligned 64-bit atomics do not work on " + dir);
            }
        } catch (UnsupportedOperationException | IllegalStateException e) {
            throw new SmcdException(SmcdReason.CNFERR, "aligned 64-bit atomics unsupported on " + dir + ": " + e, e);
        } finally {
            SharedFiles.unmap(mapped);
            SharedFiles.deleteQuietly(probe);
        }
    }
}
