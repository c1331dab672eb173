package io.smcd.sim.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A tmpfs of a few hundred KiB mounted for one test, to make "no space left" real. Needs root. */
public final class TinyTmpfs implements AutoCloseable {
    private final Path path;

    private TinyTmpfs(Path path) {
        this.path = path;
    }

    /** Mounts a tmpfs of {@code bytes}; skips the test, saying why, where mounting is not allowed. */
    public static TinyTmpfs mount(int bytes) throws IOException, InterruptedException {
        Path path = Files.createTempDirectory("smcd-tinyfs-");
        int rc = run("mount", "-t", "tmpfs", "-o", "size=" + bytes + ",mode=0700", "tmpfs", path.toString());
        if (rc != 0) {
            Files.delete(path);
        }
        Assumptions.assumeTrue(rc == 0, "mounting a tmpfs needs root (mount exit code " + rc + ")");
        return new TinyTmpfs(path);
    }

    /** Where it is mounted. */
    public Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        int rc;
        try {
            rc = run("umount", path.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while unmounting " + path, e);
        }
        if (rc != 0) {
            throw new IOException("umount " + path + " failed with exit code " + rc);
        }
        Files.delete(path);
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
